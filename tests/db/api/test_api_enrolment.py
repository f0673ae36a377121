"""POST /admin/members: staff enrol a member through the API, placed by the company's
rule, audited with the reason, idempotent with a key; members and support cannot."""

from __future__ import annotations

from sqlalchemy import Engine, select

from fairtree.store.database import session_scope
from fairtree.store.models import AuditRecord, Member


def _body(member_id: str = "N1", sponsor_id: str = "S") -> dict[str, str]:
    return {"member_id": member_id, "sponsor_id": sponsor_id, "display_name": "New One",
            "joined_on": "2026-04-02", "reason": "signed the agreement on paper"}  # fmt: skip


def test_admin_enrols_a_member_once_per_key_and_it_is_audited(
    client, world, committing_engine: Engine
):
    headers = {**world.auth("admin"), "Idempotency-Key": "enrol-N1"}
    first = client.post("/admin/members", json=_body(), headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["member_id"] == "N1" and first.json()["sponsor_id"] == "S"
    again = client.post("/admin/members", json=_body(), headers=headers)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    with session_scope(committing_engine) as session:
        added = session.scalars(select(Member).where(Member.member_id == "N1")).all()
        assert len(added) == 1 and added[0].display_name == "New One"
        audits = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "member_enrolled")
        ).all()
        assert [(a.subject_id, a.reason, a.actor) for a in audits] == [
            ("N1", "signed the agreement on paper", "admin@acme.test")
        ]


def test_enrolment_refuses_bad_input_members_and_support(client, world):
    taken = client.post("/admin/members", json=_body("T", "S"), headers=world.auth("admin"))
    assert taken.status_code == 409 and "member_id" in taken.json()["detail"]
    unknown = client.post("/admin/members", json=_body("N2", "NOBODY"), headers=world.auth("admin"))
    assert unknown.status_code in (404, 422) and "sponsor_id" in unknown.text
    no_reason = {**_body("N3"), "reason": ""}
    assert (
        client.post("/admin/members", json=no_reason, headers=world.auth("admin")).status_code
        == 422
    )
    for who in ("support", "T"):
        assert (
            client.post("/admin/members", json=_body("N4"), headers=world.auth(who)).status_code
            == 404
        )

"""What each route returns, the access log it leaves, grants, audit, ids that cannot be
probed, idempotent creation and the request size limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from fairtree.api.errors import NOT_FOUND_BODY
from fairtree.services.clock import utcnow
from fairtree.store.models import AccessGrant, AccessLogEntry, AuditRecord, IdempotencyRecord
from tests.factories import ACME_PLAN, World

REASON = {"X-Access-Reason": "ticket 77: payout question"}


def test_owner_sees_their_orders_with_exact_totals(client: TestClient, world: World) -> None:
    orders = client.get("/members/T/orders", headers=world.auth("T")).json()
    assert [(o["order_id"], o["kind"], o["amount"], o["pv"]) for o in orders] == [
        ("RT1", "return", "20.00", "20.00"),
        ("OT1", "order", "60.00", "60.00"),
    ]
    assert orders[0]["returns_order_id"] == "OT1"
    customers = client.get("/members/T/customers", headers=world.auth("T")).json()
    assert customers == [
        {"customer_id": "CT1", "name": "Private CT1", "country": "US", "created_on": "2026-01-10"}
    ]


def test_team_view_shows_only_name_rank_and_volumes(client: TestClient, world: World) -> None:
    response = client.get("/members/S/team?period=2026-03", headers=world.auth("U3"))
    assert response.status_code == 200
    team = response.json()
    assert team["total"] == 3
    rows = {m["member_id"]: m for m in team["members"]}
    # T: 60 own - 20 returned + 20 by T's customer = 60; D: 40; S: nothing.
    assert rows["T"] == {
        "member_id": "T", "display_name": "Name of T", "depth": 1, "rank": None,
        "pv": "60.00", "gv": "100.00",
    }  # fmt: skip
    assert rows["D"]["pv"] == rows["D"]["gv"] == "40.00"
    assert rows["S"]["gv"] == "100.00" and rows["S"]["depth"] == 0
    assert set(rows["T"]) == {"member_id", "display_name", "depth", "rank", "pv", "gv"}


def test_team_view_depth_limits_rows_but_not_group_volume(client: TestClient, world: World) -> None:
    team = client.get("/members/U3/team?period=2026-03&depth=1", headers=world.auth("U3")).json()
    assert sorted(m["member_id"] for m in team["members"]) == ["G", "U2", "U3", "X"]
    rows = {m["member_id"]: m for m in team["members"]}
    assert rows["U2"]["gv"] == "100.00"
    assert rows["U3"]["gv"] == "120.00"  # + X's 20


def test_a_bad_period_is_a_located_problem(client: TestClient, world: World) -> None:
    response = client.get("/members/T/team?period=2026-13", headers=world.auth("T"))
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "period"


def test_reads_by_others_are_in_the_owners_access_log(client: TestClient, world: World) -> None:
    client.get("/members/S/team?period=2026-03", headers=world.auth("U3"))
    client.get("/members/T/customers/CT1", headers=world.auth("G"))
    client.get("/members/T/orders", headers={**world.auth("support"), **REASON})
    client.get("/members/T/orders", headers=world.auth("T"))  # own reads are not logged
    log = client.get("/members/T/access-log", headers=world.auth("T")).json()
    seen = [(e["reader"], e["data_kind"], e["record"], e["reason"]) for e in log]
    assert seen == [
        ("help@acme.test", "orders", "list", "ticket 77: payout question"),
        ("g", "customers", "customer:CT1", None),
        ("u3", "team", "team", None),
    ]


def test_staff_reads_of_private_data_are_audited(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    refused = client.get("/members/T/customers", headers=world.auth("admin"))
    assert refused.status_code == 403
    assert "reason" in refused.json()["detail"]
    assert client.get("/members/T/customers", headers={**world.auth("admin"), **REASON}).is_success
    audit = client.get("/admin/audit?subject=T", headers=world.auth("owner")).json()
    assert [(a["actor"], a["actor_role"], a["action"], a["reason"], a["after"]) for a in audit] == [
        (
            "admin@acme.test",
            "admin",
            "staff_read",
            "ticket 77: payout question",
            {"data_kind": "customers", "record": "list"},
        )
    ]


def test_admin_member_read_shows_private_fields_only_with_a_reason(
    client: TestClient, world: World
) -> None:
    plain = client.get("/admin/members/T", headers=world.auth("support")).json()
    assert plain["private"] is None and plain["sponsor_id"] == "S"
    full = client.get("/admin/members/T", headers={**world.auth("support"), **REASON}).json()
    assert full["private"]["email"] == "t@members.test"
    found = client.get("/admin/members?q=name of u", headers=world.auth("support")).json()
    assert [m["member_id"] for m in found] == ["U3", "U2"]
    u2_log = client.get("/members/U2/access-log", headers=world.auth("U2")).json()
    assert [(e["reader"], e["data_kind"], e["record"]) for e in u2_log] == [
        ("help@acme.test", "directory", "search")
    ]
    t_log = client.get("/members/T/access-log", headers=world.auth("T")).json()
    assert [(e["data_kind"], e["record"], e["reason"]) for e in t_log] == [
        ("profile", "profile", "ticket 77: payout question"),
        ("directory", "summary", "ticket 77: payout question"),
        ("directory", "summary", None),
    ]


def test_guessing_ids_answers_exactly_like_a_missing_record(
    client: TestClient, world: World
) -> None:
    as_t, as_d = world.auth("T"), world.auth("D")
    answers = [
        client.get("/members/T/customers/CX1", headers=as_t),  # X's customer, T's URL
        client.get("/members/T/customers/NOPE", headers=as_t),
        client.get("/members/X/customers/CX1", headers=as_t),  # crossline's own URL
        client.get("/members/NOPE/profile", headers=as_t),
        client.get("/members/T/orders/OX1", headers=as_t),
        client.get("/members/T/profile", headers=as_d),  # downline reading upline
        client.get("/members/T/customers/CT1", headers=world.auth("S")),  # sponsor
    ]
    assert {(r.status_code, r.content) for r in answers} == {
        (404, client.get("/members/NOPE/orders", headers=as_t).content)
    }
    assert answers[0].json() == NOT_FOUND_BODY


def test_revoked_or_expired_grants_stop_working_at_once(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    as_g = world.auth("G")
    assert client.get("/members/T/customers", headers=as_g).status_code == 200
    with Session(committing_engine) as session, session.begin():
        session.execute(
            update(AccessGrant)
            .where(AccessGrant.id == world.grant_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert client.get("/members/T/customers", headers=as_g).status_code == 404
    grants = client.get("/members/T/grants", headers=world.auth("T")).json()
    assert {g["grantee_login"]: g["active"] for g in grants} == {"g": False, "x": True}


def test_a_grant_opens_only_its_kinds(client: TestClient, world: World) -> None:
    made = client.post(
        "/members/T/grants",
        json={"grantee_login": "S", "kinds": ["customers"], "days": 3},
        headers=world.auth("T"),
    )
    assert made.status_code == 201
    assert made.json()["kinds"] == ["customers"] and made.json()["read_only"] is True
    assert client.get("/members/T/customers", headers=world.auth("S")).status_code == 200
    assert client.get("/members/T/orders", headers=world.auth("S")).status_code == 404
    bad = client.post(
        "/members/T/grants",
        json={"grantee_login": "S", "kinds": ["access_log"], "days": 3},
        headers=world.auth("T"),
    )
    assert bad.status_code == 422


def test_idempotency_key_replays_the_first_answer(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    headers = {**world.auth("T"), "Idempotency-Key": "grant-d-1"}
    body = {"grantee_login": "D", "kinds": ["goals"], "days": 2}
    first = client.post("/members/T/grants", json=body, headers=headers)
    second = client.post("/members/T/grants", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    changed = client.post("/members/T/grants", json={**body, "days": 3}, headers=headers)
    assert changed.status_code == 409
    grants = client.get("/members/T/grants", headers=world.auth("T")).json()
    assert sum(g["grantee_login"] == "d" for g in grants) == 1
    with Session(committing_engine) as session:
        keys = session.scalars(select(IdempotencyRecord.key)).all()
    assert keys == ["grant-d-1"]


def test_plan_version_upload_is_validated_idempotent_and_audited(
    client: TestClient, world: World
) -> None:
    headers = {**world.auth("admin"), "Idempotency-Key": "plan-v2"}
    body = {
        "version": "v2",
        "effective_from": "2026-06-01",
        "yaml_text": ACME_PLAN,
        "reason": "new rates from June",
    }
    first = client.post("/admin/plan-versions", json=body, headers=headers)
    assert first.status_code == 201 and len(first.json()["sha256"]) == 64
    assert client.post("/admin/plan-versions", json=body, headers=headers).json() == first.json()
    again = client.post("/admin/plan-versions", json=body, headers=world.auth("admin"))
    assert again.status_code == 409  # no key: the version name is already taken
    broken = {**body, "version": "v3", "yaml_text": ACME_PLAN.replace("currency", "curency")}
    refused = client.post("/admin/plan-versions", json=broken, headers=world.auth("admin"))
    assert refused.status_code == 422
    assert {p["location"] for p in refused.json()["problems"]} >= {"curency"}
    listed = client.get("/admin/plan-versions", headers=world.auth("support")).json()
    assert [v["version"] for v in listed] == ["v1", "v2"]
    audit = client.get("/admin/audit", headers=world.auth("admin")).json()
    uploads = [(a["action"], a["reason"]) for a in audit if a["subject_id"] == "v2"]
    assert uploads == [("plan_version_uploaded", "new rates from June")]


def test_oversized_request_bodies_are_refused(client: TestClient, world: World) -> None:
    body = {
        "version": "big",
        "effective_from": "2026-06-01",
        "yaml_text": "x" * 30_000,
        "reason": "r",
    }
    response = client.post("/admin/plan-versions", json=body, headers=world.auth("admin"))
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


@pytest.mark.postgres
def test_audit_log_cannot_be_changed_on_postgresql(world: World, committing_engine: Engine) -> None:
    with Session(committing_engine) as session:
        assert session.scalar(select(AuditRecord.id).limit(1)) is not None
        for statement in ("UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"):
                session.execute(text(statement))
            session.rollback()


def test_access_log_has_no_rows_for_own_reads(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    client.get("/members/T/profile", headers=world.auth("T"))
    client.get("/members/T/team?period=2026-03", headers=world.auth("T"))
    with Session(committing_engine) as session:
        owners = session.scalars(select(AccessLogEntry.owner_member_id)).all()
    assert world.member_pks["T"] not in owners
    assert owners == [world.member_pks["D"]]  # T's team view shows D

"""Admin genealogy routes: a move and a termination through the API, audited."""

from __future__ import annotations

from sqlalchemy import Engine, select

from fairtree.services.access import sign_in
from fairtree.services.access.users import create_member_user, create_staff_user
from fairtree.store.database import session_scope
from fairtree.store.models import AuditRecord, Member
from tests.factories import seed_company


def _tokens(engine: Engine, settings) -> dict[str, str]:
    with session_scope(engine) as session:
        seed_company(session)  # A <- B <- C <- D
        admin = create_staff_user(session, "ops@example.com", "admin", "a long admin password")
        member = create_member_user(session, "A", "a long member password")
        return {
            "admin": sign_in.issue_api_token(session, settings, admin, "t").token,
            "A": sign_in.issue_api_token(session, settings, member, "t").token,
        }


def _sponsors(engine: Engine) -> dict[str, str | None]:
    with session_scope(engine) as session:
        members = {m.id: m for m in session.scalars(select(Member))}
        return {
            m.member_id: members[m.sponsor_id].member_id if m.sponsor_id else None
            for m in members.values()
        }


def test_admin_moves_a_subtree_and_it_is_audited(client, committing_engine, settings):
    tokens = _tokens(committing_engine, settings)
    body = {
        "sponsor_id": "A",
        "effective_on": "2026-04-01",
        "reason": "enrolled under the wrong sponsor",
    }
    member_try = client.post(
        "/admin/members/C/move", json=body, headers={"Authorization": f"Bearer {tokens['A']}"}
    )
    assert member_try.status_code == 404  # an upline cannot move anyone
    response = client.post(
        "/admin/members/C/move", json=body, headers={"Authorization": f"Bearer {tokens['admin']}"}
    )
    assert response.status_code == 200
    out = response.json()
    assert (out["before"]["sponsor_id"], out["after"]["sponsor_id"]) == ("B", "A")
    assert _sponsors(committing_engine) == {"A": None, "B": "A", "C": "A", "D": "C"}
    with session_scope(committing_engine) as session:
        record = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "member_moved")
        ).one()
        assert (record.subject_id, record.reason) == ("C", "enrolled under the wrong sponsor")


def test_a_loop_is_refused_and_nothing_changes(client, committing_engine, settings):
    tokens = _tokens(committing_engine, settings)
    body = {"sponsor_id": "D", "effective_on": "2026-04-01", "reason": "loop"}
    response = client.post(
        "/admin/members/B/move", json=body, headers={"Authorization": f"Bearer {tokens['admin']}"}
    )
    assert response.status_code == 422
    assert "D" in response.json()["detail"] and "B" in response.json()["detail"]
    assert _sponsors(committing_engine) == {"A": None, "B": "A", "C": "B", "D": "C"}


def test_admin_terminates_and_recruits_roll_up(client, committing_engine, settings):
    tokens = _tokens(committing_engine, settings)
    body = {"effective_on": "2026-04-01", "reason": "asked to leave"}
    response = client.post(
        "/admin/members/B/terminate",
        json=body,
        headers={"Authorization": f"Bearer {tokens['admin']}"},
    )
    assert response.status_code == 200
    assert response.json() == {"member_id": "B", "rolled_up_to": "A", "rolled_up": ["C"]}
    assert _sponsors(committing_engine)["C"] == "A"

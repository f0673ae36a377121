"""A retail customer is editable in full by its owner (name, country), audited with the
fields changed and never their values; an upline, a crossline member, a grantee and
staff are refused with the same 404 as a missing customer, and nothing changes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from fairtree.api.errors import NOT_FOUND_BODY
from fairtree.store.database import session_scope
from fairtree.store.models import AuditRecord, Customer
from tests.factories import World

URL = "/members/T/customers/CT1"


def _customer(engine: Engine) -> tuple[str, str]:
    with session_scope(engine) as session:
        row = session.scalars(select(Customer).where(Customer.customer_id == "CT1")).one()
        return row.name, row.country


def _audit(engine: Engine) -> list[tuple[str, str, str, dict]]:
    with session_scope(engine) as session:
        rows = session.scalars(
            select(AuditRecord).where(AuditRecord.subject_kind == "customer")
        ).all()
        return [(r.actor, r.action, r.subject_id, r.after) for r in rows]


def test_the_owner_changes_name_and_country_and_the_edit_is_audited(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    answer = client.patch(
        URL, json={"name": "Carla Diaz", "country": "CA"}, headers=world.auth("T")
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["name"], answer.json()["country"]) == ("Carla Diaz", "CA")
    assert _customer(committing_engine) == ("Carla Diaz", "CA")
    listed = client.get("/members/T/customers/CT1", headers=world.auth("T")).json()
    assert (listed["name"], listed["country"]) == ("Carla Diaz", "CA")
    ((actor, action, subject, after),) = _audit(committing_engine)
    assert actor.lower() in ("t", "t@members.test")  # the owner's sign-in
    assert (action, subject, after) == ("customer_update", "CT1", {"fields": ["name", "country"]})
    assert "Carla" not in str(after)  # the audit log keeps no personal data
    # Changing only the country leaves the name; an unchanged value is not audited.
    again = client.patch(URL, json={"country": "CA"}, headers=world.auth("T"))
    assert again.status_code == 200 and again.json()["name"] == "Carla Diaz"
    assert len(_audit(committing_engine)) == 1


def test_an_upline_and_everyone_else_is_refused_and_nothing_changes(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    before = _customer(committing_engine)
    for reader in ("S", "U3", "D", "X", "G", "admin", "support"):
        headers = {**world.auth(reader), "X-Access-Reason": "ticket 1"}
        answer = client.patch(URL, json={"name": "Taken over"}, headers=headers)
        assert (reader, answer.status_code, answer.json()) == (reader, 404, NOT_FOUND_BODY)
    assert _customer(committing_engine) == before
    assert _audit(committing_engine) == []


def test_bad_fields_are_refused_naming_the_field(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    answer = client.patch(URL, json={"country": "Canada"}, headers=world.auth("T"))
    assert answer.status_code == 422 and "country" in answer.text
    blank = client.patch(URL, json={"name": "   "}, headers=world.auth("T"))
    assert blank.status_code == 422 and "name" in blank.text
    missing = client.patch("/members/T/customers/CX1", json={"name": "x"}, headers=world.auth("T"))
    assert missing.status_code == 404

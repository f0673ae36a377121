"""Contacts and consent: the owner's CRUD, the outreach list that leaves out
do-not-contact and unconsented contacts (and says so), retail customers the owner adds,
and that none of it is visible to an upline."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from fairtree.api.errors import NOT_FOUND_BODY
from tests.factories import World

REASON = {"X-Access-Reason": "ticket 9: consent question"}


def _add(client: TestClient, world: World, name: str, consent: str, **extra: str) -> dict:
    body = {"name": name, "consent": consent, **extra}
    response = client.post("/members/T/contacts", json=body, headers=world.auth("T"))
    assert response.status_code == 201, response.text
    return response.json()


def _three_contacts(client: TestClient, world: World) -> dict[str, dict]:
    ann = {"email": "ann@example.test", "relationship_mark": "friend"}
    return {
        "ann": _add(client, world, "Ann", "opted_in", **ann),
        "bob": _add(client, world, "Bob", "do_not_contact", email="bob@example.test"),
        "cat": _add(client, world, "Cat", "unknown", phone="+1 555 0100"),
    }  # fmt: skip


def test_owner_adds_lists_changes_and_deletes_contacts(client: TestClient, world: World) -> None:
    made = _three_contacts(client, world)
    assert made["ann"]["relationship_mark"] == "friend" and made["cat"]["email"] is None
    listed = client.get("/members/T/contacts", headers=world.auth("T")).json()
    assert [(c["name"], c["consent"]) for c in listed] == [
        ("Ann", "opted_in"), ("Bob", "do_not_contact"), ("Cat", "unknown"),
    ]  # fmt: skip
    cat_url = f"/members/T/contacts/{made['cat']['id']}"
    changed = client.patch(cat_url, json={"consent": "opted_in"}, headers=world.auth("T"))
    assert changed.status_code == 200
    assert changed.json()["consent"] == "opted_in" and changed.json()["phone"] == "+1 555 0100"
    assert client.delete(cat_url, headers=world.auth("T")).status_code == 204
    assert client.get(cat_url, headers=world.auth("T")).json() == NOT_FOUND_BODY


def test_a_bad_consent_state_is_refused_naming_the_field(client: TestClient, world: World) -> None:
    response = client.post(
        "/members/T/contacts", json={"name": "Dan", "consent": "maybe"}, headers=world.auth("T")
    )
    assert response.status_code == 422
    assert "consent" in response.text
    listed = client.get("/members/T/contacts", headers=world.auth("T")).json()
    assert listed == []


def test_outreach_leaves_out_do_not_contact_and_unknown_and_says_why(
    client: TestClient, world: World
) -> None:
    _three_contacts(client, world)
    outreach = client.get("/me/contacts/outreach", headers=world.auth("T")).json()
    assert [c["name"] for c in outreach["contacts"]] == ["Ann"]
    assert outreach["left_out_total"] == 2
    assert {(i["consent"], i["count"]) for i in outreach["left_out"]} == {
        ("do_not_contact", 1),
        ("unknown", 1),
    }
    reasons = {i["consent"]: i["reason"] for i in outreach["left_out"]}
    assert reasons["do_not_contact"] == "asked not to be contacted"
    assert "not opted in" in reasons["unknown"]


def test_outreach_csv_holds_only_opted_in_contacts(client: TestClient, world: World) -> None:
    _three_contacts(client, world)
    response = client.get("/me/contacts/outreach.csv", headers=world.auth("T"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows == [
        {"name": "Ann", "email": "ann@example.test", "phone": "", "relationship_mark": "friend"}
    ]
    left_out = response.headers["x-outreach-left-out"]
    assert left_out.startswith("do_not_contact=1 (asked not to be contacted); unknown=1")


def test_uplines_and_staff_without_reason_cannot_see_contacts(
    client: TestClient, world: World
) -> None:
    made = _three_contacts(client, world)
    url = f"/members/T/contacts/{made['ann']['id']}"
    for who in ("S", "U3", "D", "X"):
        assert client.get("/members/T/contacts", headers=world.auth(who)).json() == NOT_FOUND_BODY
        assert client.get(url, headers=world.auth(who)).json() == NOT_FOUND_BODY
    assert client.get("/members/T/contacts", headers=world.auth("admin")).status_code == 403
    with_reason = client.get("/members/T/contacts", headers={**world.auth("admin"), **REASON})
    assert [c["name"] for c in with_reason.json()] == ["Ann", "Bob", "Cat"]


def test_grantee_reads_contacts_read_only_and_the_owner_sees_the_read(
    client: TestClient, world: World
) -> None:
    made = _three_contacts(client, world)
    assert len(client.get("/members/T/contacts", headers=world.auth("G")).json()) == 3
    url = f"/members/T/contacts/{made['bob']['id']}"
    refused = client.patch(url, json={"consent": "opted_in"}, headers=world.auth("G"))
    assert refused.json() == NOT_FOUND_BODY
    assert client.get(url, headers=world.auth("T")).json()["consent"] == "do_not_contact"
    log = client.get("/members/T/access-log", headers=world.auth("T")).json()
    assert [(e["reader"], e["data_kind"], e["record"]) for e in log] == [("g", "contacts", "list")]


def test_another_members_contact_id_is_not_found(client: TestClient, world: World) -> None:
    made = _three_contacts(client, world)
    # X asks for T's contact through X's own URL: same 404 as a missing one.
    response = client.get(f"/members/X/contacts/{made['ann']['id']}", headers=world.auth("X"))
    assert response.status_code == 404 and response.json() == NOT_FOUND_BODY


def test_owner_adds_a_retail_customer_invisible_to_the_upline(
    client: TestClient, world: World
) -> None:
    body = {"name": "Erin Retail", "country": "US"}
    headers = {**world.auth("T"), "Idempotency-Key": "cust-1"}
    first = client.post("/members/T/customers", json=body, headers=headers)
    again = client.post("/members/T/customers", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["customer_id"] == first.json()["customer_id"]
    names = [c["name"] for c in client.get("/members/T/customers", headers=world.auth("T")).json()]
    assert names == ["Private CT1", "Erin Retail"]
    assert client.get("/members/T/customers", headers=world.auth("S")).json() == NOT_FOUND_BODY
    bad = client.post("/members/T/customers", json={"name": "x", "country": "usa"},
                      headers=world.auth("T"))  # fmt: skip
    assert bad.status_code == 422


def test_outreach_csv_cells_never_run_as_spreadsheet_formulas(
    client: TestClient, world: World
) -> None:
    hostile = {
        '=HYPERLINK("http://x.test","hi")': "ann@example.test",
        "+cmd": "@evil.test",
        "-2+3": "-x@example.test",
        "@SUM(A1)": "sum@example.test",
    }
    for name, email in hostile.items():
        _add(client, world, name, "opted_in", email=email, phone="+1 555 0100")
    response = client.get("/me/contacts/outreach.csv", headers=world.auth("T"))
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 4
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), row
    by_name = {row["name"]: row for row in rows}
    assert '\'=HYPERLINK("http://x.test","hi")' in by_name
    assert by_name["'+cmd"]["email"] == "'@evil.test"
    assert by_name["'-2+3"]["phone"] == "'+1 555 0100"
    assert by_name["'@SUM(A1)"]["email"] == "sum@example.test"

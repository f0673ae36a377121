"""Policies (obligations apart from suggestions, acknowledgements, audited publishing),
data export, and closing an account without changing anyone's volumes."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fairtree.store.models import AuditRecord, Contact, Customer, Member, Order, User
from tests.factories import PASSWORD, World

POLICY = """\
# Policies and procedures

Read this before you sell.

## 1. Returns {obligation}
Accept every return within 30 days.

## 2. Sharing online {suggestion}
Say that you are an independent member.

## 3. Income claims {obligation}
Never promise income.
"""


def _publish(client: TestClient, world: World, version: str, text: str, who: str = "admin"):
    body = {
        "version": version,
        "effective_from": "2026-01-01",
        "text": text,
        "reason": "yearly review",
    }
    return client.post("/admin/policies", json=body, headers=world.auth(who))


def test_members_see_obligations_and_suggestions_apart_and_acknowledge(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    assert _publish(client, world, "2026.1", POLICY, who="support").status_code == 404
    assert _publish(client, world, "2026.1", POLICY).status_code == 201
    current = client.get("/policies/current", headers=world.auth("T")).json()
    assert current["version"] == "2026.1" and current["acknowledged_at"] is None
    assert [(c["number"], c["title"]) for c in current["obligations"]] == [
        (1, "1. Returns"), (3, "3. Income claims"),
    ]  # fmt: skip
    assert [c["text"] for c in current["suggestions"]] == [
        "Say that you are an independent member."
    ]
    acked = client.post("/policies/2026.1/acknowledgement", headers=world.auth("T")).json()
    assert acked["acknowledged_at"] is not None
    again = client.post("/policies/2026.1/acknowledgement", headers=world.auth("T")).json()
    assert again["acknowledged_at"] == acked["acknowledged_at"]
    with Session(committing_engine) as session:
        audit = session.scalars(select(AuditRecord).where(AuditRecord.action == "policy_published"))
        recorded = [(a.actor, a.subject_id, a.reason, a.after) for a in audit]
    assert recorded == [
        ("admin@acme.test", "2026.1", "yearly review",
         {"effective_from": "2026-01-01", "obligations": 2, "suggestions": 1}),
    ]  # fmt: skip


def test_a_policy_with_unmarked_or_wrongly_marked_clauses_is_refused(
    client: TestClient, world: World
) -> None:
    response = _publish(client, world, "bad", "## 1. Returns {rule}\ntext\n")
    assert response.status_code == 422
    assert response.json()["problems"][0]["location"] == "line 1"
    assert _publish(client, world, "none", "# Only a title\ntext\n").status_code == 422
    assert _publish(client, world, "ok", POLICY).status_code == 201
    assert _publish(client, world, "ok", POLICY).status_code == 409


def test_export_holds_every_kind_of_the_members_data(client: TestClient, world: World) -> None:
    client.post("/members/T/contacts", json={"name": "Ann", "consent": "opted_in"},
                headers=world.auth("T"))  # fmt: skip
    client.post("/members/T/notes", json={"body": "call back"}, headers=world.auth("T"))
    client.get("/members/T/customers", headers=world.auth("G"))  # a read for the access log
    response = client.get("/me/export", headers=world.auth("T"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}
    assert set(files) == {
        "README.txt", "profile.json", "orders.csv", "customers.csv", "contacts.csv",
        "notes.json", "goals.json", "grants.json", "access_log.csv", "help_requests.json",
        "policy_acknowledgements.csv", "statements.csv", "ledger_lines.csv",
    }  # fmt: skip
    assert files["statements.csv"].splitlines()[0] == (
        "period,run_status,currency,bonus_id,kind,amount,corrects_period,reason"
    )
    assert files["ledger_lines.csv"].splitlines()[0] == (
        "posted_at,transaction,memo,account,amount,currency,bonus_id"
    )
    assert json.loads(files["profile.json"])["member_id"] == "T"
    orders = list(csv.DictReader(io.StringIO(files["orders.csv"])))
    assert [(o["order_id"], o["amount"], o["pv"]) for o in orders] == [
        ("RT1", "20.00", "20.00"), ("OT1", "60.00", "60.00"),
    ]  # fmt: skip
    assert [c["name"] for c in csv.DictReader(io.StringIO(files["contacts.csv"]))] == ["Ann"]
    assert [n["body"] for n in json.loads(files["notes.json"])] == ["call back"]
    reads = list(csv.DictReader(io.StringIO(files["access_log.csv"])))
    assert [(r["reader"], r["data_kind"]) for r in reads] == [("g", "customers")]
    assert {g["grantee_login"] for g in json.loads(files["grants.json"])} == {"g", "x"}
    assert client.get("/me/export", headers=world.auth("admin")).status_code == 404


def _group_volumes(client: TestClient, world: World) -> dict[str, tuple[str, str]]:
    team = client.get("/members/R/team?period=2026-03", headers=world.auth("R")).json()
    return {m["member_id"]: (m["pv"], m["gv"]) for m in team["members"]}


def test_closing_erases_personal_data_and_changes_no_volume(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    client.post("/members/T/contacts", json={"name": "Ann", "consent": "opted_in"},
                headers=world.auth("T"))  # fmt: skip
    client.post("/members/T/notes", json={"body": "secret"}, headers=world.auth("T"))
    before = _group_volumes(client, world)
    wrong = client.post("/me/close", json={"password": "nope", "confirm": "close my account"},
                        headers=world.auth("T"))  # fmt: skip
    assert wrong.status_code == 422
    closed = client.post("/me/close", json={"password": PASSWORD, "confirm": "close my account"},
                         headers=world.auth("T"))  # fmt: skip
    assert closed.status_code == 200, closed.text
    assert closed.json()["deleted"] == {"notes": 1, "goals": 0, "contacts": 1}
    assert client.get("/auth/me", headers=world.auth("T")).status_code == 401
    after = _group_volumes(client, world)
    assert after == before  # every upline's group volume is unchanged
    assert after["U2"] == ("0.00", "100.00")
    login = client.post("/auth/login", json={"login": "t", "password": PASSWORD})
    assert login.status_code == 401
    with Session(committing_engine) as session:
        member = session.scalars(select(Member).where(Member.member_id == "T")).one()
        assert (member.display_name, member.status) == (f"Former member {member.id}", "closed")
        assert member.sponsor_id == world.member_pks["S"]
        user = session.scalars(select(User).where(User.member_id == member.id)).one()
        assert (user.email, user.disabled, user.login) == (None, True, f"closed-{user.id}")
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
        names = session.scalars(select(Customer.name).where(Customer.member_id == member.id))
        assert list(names) == ["Former customer"]
        kept = session.scalar(select(func.count()).where(Order.buyer_member_id == member.id))
        assert kept == 2  # OT1 and its return stay, as the law requires
        audit = session.scalars(select(AuditRecord).where(AuditRecord.action == "account_closed"))
        assert [(a.actor, a.subject_id, a.reason, a.after) for a in audit] == [
            ("t", "T", "closed by the member",
             {"deleted": {"notes": 1, "goals": 0, "contacts": 1}, "customers_anonymised": 1}),
        ]  # fmt: skip

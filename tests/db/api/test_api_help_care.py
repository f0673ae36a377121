"""Help on request (sponsor, upline, mentor, company), its states and who may see it,
and the care metrics computed from it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from fairtree.api.errors import NOT_FOUND_BODY
from fairtree.store.models import HelpRequest, Member
from tests.factories import World


def _ask(client: TestClient, world: World, who: str, kind: str, helper: str | None) -> dict:
    body = {"helper_kind": kind, "helper_member_id": helper, "subject": "Shipping", "body": "How?"}
    response = client.post("/help/requests", json=body, headers=world.auth(who))
    assert response.status_code == 201, response.text
    return response.json()


def test_a_member_asks_their_sponsor_and_sees_the_answer_time(
    client: TestClient, world: World
) -> None:
    asked = _ask(client, world, "T", "sponsor", None)
    assert (asked["helper_member_id"], asked["state"], asked["first_answered_at"]) == (
        "S", "open", None,
    )  # fmt: skip
    url = f"/help/requests/{asked['id']}"
    assert client.get(url, headers=world.auth("D")).json() == NOT_FOUND_BODY
    assert client.get(url, headers=world.auth("U3")).json() == NOT_FOUND_BODY
    seen = client.get(url, headers=world.auth("S")).json()
    assert seen["messages"] == [
        {"from_asker": True, "body": "How?", "created_at": seen["messages"][0]["created_at"]}
    ]
    answered = client.post(f"{url}/messages", json={"body": "Like this."}, headers=world.auth("S"))
    assert answered.json()["state"] == "answered"
    assert answered.json()["first_answered_at"] is not None
    log = client.get("/members/T/access-log", headers=world.auth("T")).json()
    assert [(e["reader"], e["data_kind"], e["record"]) for e in log] == [
        ("s", "help_requests", f"help:{asked['id']}")
    ]
    withdraw = client.post(f"{url}/withdraw", headers=world.auth("T"))
    assert withdraw.status_code == 409  # answered: close it instead
    assert client.post(f"{url}/close", headers=world.auth("S")).status_code == 403
    closed = client.post(f"{url}/close", headers=world.auth("T")).json()
    assert closed["state"] == "closed"
    late = client.post(f"{url}/messages", json={"body": "one more"}, headers=world.auth("T"))
    assert late.status_code == 409


def test_upline_mentor_and_company_are_checked(client: TestClient, world: World) -> None:
    not_upline = {"helper_kind": "upline", "helper_member_id": "X", "subject": "s", "body": "b"}
    refused = client.post("/help/requests", json=not_upline, headers=world.auth("T"))
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["reason"] == "is not in your upline"
    assert _ask(client, world, "T", "upline", "U3")["helper_member_id"] == "U3"
    mentor = {"helper_kind": "mentor", "helper_member_id": "X", "subject": "s", "body": "b"}
    assert client.post("/help/requests", json=mentor, headers=world.auth("T")).status_code == 422
    offer = client.put("/me/mentoring", json={"topics": ["social media", "taxes"]},
                       headers=world.auth("X"))  # fmt: skip
    assert offer.json()["topics"] == ["social media", "taxes"]
    mentors = client.get("/help/mentors", headers=world.auth("T")).json()
    assert [(m["member_id"], m["topics"]) for m in mentors] == [("X", ["social media", "taxes"])]
    assert _ask(client, world, "T", "mentor", "X")["helper_kind"] == "mentor"
    assert client.delete("/me/mentoring", headers=world.auth("X")).status_code == 204
    assert client.get("/help/mentors", headers=world.auth("T")).json() == []
    company = _ask(client, world, "T", "company", None)
    staff_view = client.get("/help/requests", headers=world.auth("support")).json()
    assert [r["id"] for r in staff_view] == [company["id"]]
    withdrawn = client.post(f"/help/requests/{company['id']}/withdraw", headers=world.auth("T"))
    assert withdrawn.json()["state"] == "withdrawn"


def test_staff_cannot_open_requests_and_nobody_can_ask_a_downline(
    client: TestClient, world: World
) -> None:
    body = {"helper_kind": "company", "subject": "s", "body": "b"}
    assert (
        client.post("/help/requests", json=body, headers=world.auth("support")).status_code == 404
    )
    down = {"helper_kind": "upline", "helper_member_id": "D", "subject": "s", "body": "b"}
    assert client.post("/help/requests", json=down, headers=world.auth("T")).status_code == 422


def _set_times(engine: Engine, request_id: int, minutes: int | None) -> None:
    asked = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    answered = asked + timedelta(minutes=minutes) if minutes is not None else None
    with Session(engine) as session, session.begin():
        session.execute(
            update(HelpRequest)
            .where(HelpRequest.id == request_id)
            .values(created_at=asked, first_answered_at=answered)
        )


def test_care_metrics_median_answer_time_and_cohort_correct_retention(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    # U3 is asked three times: answered after 60 and 180 minutes, one unanswered.
    for who, minutes in (("T", 60), ("G", 180), ("X", None)):
        request = _ask(client, world, who, "upline" if who == "T" else "sponsor", "U3"
                       if who == "T" else None)  # fmt: skip
        if minutes is not None:
            client.post(f"/help/requests/{request['id']}/messages", json={"body": "ok"},
                        headers=world.auth("U3"))  # fmt: skip
        _set_times(committing_engine, request["id"], minutes)
    # U3 sponsored U2, X and G (all joined 2026-01-05); X left on 2026-06-01.
    with Session(committing_engine) as session, session.begin():
        session.execute(
            update(Member)
            .where(Member.member_id == "X")
            .values(status="inactive", status_since=date(2026, 6, 1))
        )
    care = client.get("/members/U3/care?as_of=2026-07-10", headers=world.auth("D")).json()
    assert care["median_first_answer_seconds"] == 7200.0
    assert (care["answered_requests"], care["unanswered_requests"]) == (2, 1)
    assert care["personally_sponsored"] == 3
    by_months = {r["months"]: r for r in care["retention"]}
    # 3 months after 2026-01-05 X was still active; at 6 months (2026-07-05) X had left.
    assert (by_months[3]["eligible"], by_months[3]["still_active"], by_months[3]["share"]) == (
        3, 3, "100.0",
    )  # fmt: skip
    assert (by_months[6]["eligible"], by_months[6]["still_active"], by_months[6]["share"]) == (
        3, 2, "66.7",
    )  # fmt: skip
    # Nobody joined 12 months before 2026-07-10: no denominator, no share.
    assert (by_months[12]["eligible"], by_months[12]["share"]) == (0, None)
    assert care["team_size"] == 6  # U2, S, T, D, X, G
    # no finalized run yet: nobody has earned more than they spent on their own orders
    assert care["team_earning_more_than_spent"] == "0.0"
    assert "0 member(s)" in care["team_earning_note"]
    early = client.get("/members/U3/care?as_of=2026-05-01", headers=world.auth("T")).json()
    assert [r["eligible"] for r in early["retention"]] == [3, 0, 0]


def test_listing_requests_one_was_asked_is_logged_for_each_asker(
    client: TestClient, world: World
) -> None:
    asked = _ask(client, world, "T", "sponsor", None)
    client.get("/help/requests", headers=world.auth("T"))  # the asker's own: not logged
    listed = client.get("/help/requests", headers=world.auth("S")).json()
    assert [r["id"] for r in listed] == [asked["id"]]
    log = client.get("/members/T/access-log", headers=world.auth("T")).json()
    assert [(e["reader"], e["data_kind"], e["record"]) for e in log] == [
        ("s", "help_requests", f"help:{asked['id']}")
    ]


def test_care_metrics_are_read_by_the_leader_their_team_and_staff_and_logged(
    client: TestClient, world: World
) -> None:
    """U3's care metrics: U3, U3's team (U2, S, T, D, X, G) and staff may read them;
    R (U3's sponsor) may not; every read by someone else is in U3's access log."""
    url = "/members/U3/care?as_of=2026-07-10"
    for who in ("U3", "T", "X", "admin", "support"):
        assert client.get(url, headers=world.auth(who)).status_code == 200, who
    assert client.get(url, headers=world.auth("R")).status_code == 404
    assert client.get("/members/T/care", headers=world.auth("X")).status_code == 404  # crossline
    log = client.get("/members/U3/access-log", headers=world.auth("U3")).json()
    care_reads = sorted(e["reader"] for e in log if e["data_kind"] == "care")
    assert care_reads == sorted(["admin@acme.test", "help@acme.test", "t", "x"])

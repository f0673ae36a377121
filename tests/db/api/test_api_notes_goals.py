"""Private notes and the member's own goals: progress measured from their own data,
nobody else can set a goal for them, uplines never see either."""

from __future__ import annotations

from fastapi.testclient import TestClient

from fairtree.api.errors import NOT_FOUND_BODY
from tests.factories import World

MARCH = {"starts_on": "2026-03-01", "due_on": "2026-03-31"}


def test_notes_are_private_and_may_point_at_the_owners_own_customer(
    client: TestClient, world: World
) -> None:
    made = client.post(
        "/members/T/notes",
        json={"body": "Prefers green tea", "about_customer_id": "CT1"},
        headers=world.auth("T"),
    )
    assert made.status_code == 201
    assert made.json()["about_customer_id"] == "CT1"
    note_url = f"/members/T/notes/{made.json()['id']}"
    assert client.get(note_url, headers=world.auth("T")).json()["body"] == "Prefers green tea"
    for who in ("S", "U3", "D", "X"):
        assert client.get(note_url, headers=world.auth(who)).json() == NOT_FOUND_BODY
    foreign = client.post(
        "/members/T/notes",
        json={"body": "about X's customer", "about_customer_id": "CX1"},
        headers=world.auth("T"),
    )
    assert foreign.status_code == 422
    assert foreign.json()["problems"][0]["field"] == "about_customer_id"
    assert client.delete(note_url, headers=world.auth("T")).status_code == 204
    assert client.get("/members/T/notes", headers=world.auth("T")).json() == []


def test_goal_progress_is_measured_from_the_members_own_data(
    client: TestClient, world: World
) -> None:
    targets = {"personal_volume": "100", "retail_sales": "20.00", "retail_customers": "2"}
    for metric, target in targets.items():
        body = {"title": f"March {metric}", "metric": metric, "target": target, **MARCH}
        assert (
            client.post("/members/T/goals", json=body, headers=world.auth("T")).status_code == 201
        )
    goals = {g["metric"]: g for g in client.get("/members/T/goals", headers=world.auth("T")).json()}
    # March: 60 PV own - 20 returned + 20 from customer CT1 = 60 PV.
    pv = goals["personal_volume"]
    assert (pv["current"], pv["target"], pv["percent"], pv["status"]) == (
        "60.00", "100.00", "60.0", "missed",
    )  # fmt: skip
    sales = goals["retail_sales"]  # CT1 bought one unit at 20.00
    assert (sales["current"], sales["percent"], sales["status"]) == ("20.00", "100.0", "achieved")
    customers = goals["retail_customers"]
    assert (customers["current"], customers["target"], customers["percent"]) == ("1", "2", "50.0")
    assert customers["days_left"] == 0


def test_nobody_can_set_a_goal_for_another_member(client: TestClient, world: World) -> None:
    body = {"title": "Sell 500", "metric": "personal_volume", "target": "500", **MARCH}
    for who in ("S", "U3", "admin", "G"):
        refused = client.post("/members/T/goals", json=body, headers=world.auth(who))
        assert refused.status_code == 404, who
    assert client.get("/members/T/goals", headers=world.auth("T")).json() == []


def test_a_goal_with_a_bad_target_or_dates_names_each_problem(
    client: TestClient, world: World
) -> None:
    body = {"title": "x", "metric": "retail_sales", "target": "1.234",
            "starts_on": "2026-03-10", "due_on": "2026-03-01"}  # fmt: skip
    response = client.post("/members/T/goals", json=body, headers=world.auth("T"))
    assert response.status_code == 422
    assert {p["field"] for p in response.json()["problems"]} == {"target", "due_on"}


def test_a_grantee_reads_goals_and_the_read_is_logged(client: TestClient, world: World) -> None:
    body = {"title": "Mine", "metric": "personal_volume", "target": "50", **MARCH}
    goal = client.post("/members/T/goals", json=body, headers=world.auth("T")).json()
    seen = client.get(f"/members/T/goals/{goal['id']}", headers=world.auth("G")).json()
    assert seen["current"] == "60.00" and seen["status"] == "achieved"
    log = client.get("/members/T/access-log", headers=world.auth("T")).json()
    assert [(e["reader"], e["record"]) for e in log] == [("g", f"goal:{goal['id']}")]

"""Bad input gets a clear 4xx naming the field, and nothing is written: dates outside
the supported range, numbers too large to store, YAML nested too deeply, oversized
bodies sent chunked, and JSON values of the wrong type for quantities and counts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from fairtree.store.database import session_scope
from fairtree.store.models import Goal, Order, PlanVersion
from tests.factories import World


def _count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return session.scalars(select(func.count()).select_from(model)).one()


def _fields(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {problem["field"] for problem in response.json()["problems"]}


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/members/T/rank-progress?on=9999-12-31", "on"),
        ("/members/T/rank-progress?on=0001-01-01", "on"),
        ("/members/T/care?as_of=9999-12-31", "as_of"),
        ("/members/T/care?as_of=0001-01-01", "as_of"),
    ],
)
def test_dates_outside_the_supported_range_are_refused(
    client: TestClient, world: World, path: str, field: str
) -> None:
    response = client.get(path, headers=world.auth("T"))
    assert response.status_code == 422, response.text
    assert _fields(response) == {field}


GOAL = {"title": "Big", "metric": "personal_volume", "starts_on": "2026-03-01",
        "due_on": "2026-03-31"}  # fmt: skip


@pytest.mark.parametrize(
    ("metric", "target"),
    [
        ("personal_volume", "99999999999999999999999999"),
        ("personal_volume", "1e400"),
        ("retail_sales", "1e400"),
        ("retail_sales", "99999999999999999999999999"),
        ("retail_customers", "99999999999999999999999999"),
    ],
)
def test_goal_targets_too_large_to_store_are_refused(
    client: TestClient, world: World, committing_engine: Engine, metric: str, target: str
) -> None:
    body = {**GOAL, "metric": metric, "target": target}
    response = client.post("/members/T/goals", json=body, headers=world.auth("T"))
    assert response.status_code == 422, response.text
    assert _fields(response) == {"target"}
    assert "too large" in response.text
    assert _count(committing_engine, Goal) == 0


def test_goal_dates_outside_the_supported_range_are_refused(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    body = {**GOAL, "target": "10", "due_on": "9999-12-31"}
    response = client.post("/members/T/goals", json=body, headers=world.auth("T"))
    assert response.status_code == 422, response.text
    assert _fields(response) == {"due_on"}
    assert _count(committing_engine, Goal) == 0


@pytest.mark.parametrize("levels", [70, 500, 5000])
def test_deeply_nested_plan_yaml_is_refused(
    client: TestClient, world: World, committing_engine: Engine, levels: int
) -> None:
    before = _count(committing_engine, PlanVersion)
    body = {
        "version": f"deep{levels}",
        "effective_from": "2026-06-01",
        "yaml_text": "plan: " + "[" * levels + "]" * levels,
        "reason": "probe",
    }
    response = client.post("/admin/plan-versions", json=body, headers=world.auth("admin"))
    assert response.status_code == 422, response.text
    assert _fields(response) == {"yaml_text"}
    assert "nests deeper than" in response.text
    assert _count(committing_engine, PlanVersion) == before


ORDER = {"order_id": "BAD-1", "placed_on": "2026-03-20", "buyer_member_id": "T"}


@pytest.mark.parametrize("quantity", [True, "1", 1.0, 1.5, None, [1], {"n": 1}])
def test_order_quantities_must_be_json_integers(
    client: TestClient, world: World, committing_engine: Engine, quantity: object
) -> None:
    before = _count(committing_engine, Order)
    body = {**ORDER, "lines": [{"sku": "P1", "quantity": quantity}]}
    response = client.post("/orders", json=body, headers=world.auth("admin"))
    assert response.status_code == 422, response.text
    assert _fields(response) == {"quantity"}
    assert _count(committing_engine, Order) == before


def test_an_order_dated_outside_the_supported_range_is_refused(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    before = _count(committing_engine, Order)
    body = {**ORDER, "placed_on": "9999-12-31", "lines": [{"sku": "P1", "quantity": 1}]}
    response = client.post("/orders", json=body, headers=world.auth("admin"))
    assert response.status_code == 422, response.text
    assert _fields(response) == {"placed_on"}
    assert _count(committing_engine, Order) == before


def _chunks(total: int, size: int = 65_536) -> Iterator[bytes]:
    body = b'{"order_id": "BIG", "placed_on": "2026-03-20", "buyer_member_id": "T", "x": "'
    yield body
    sent = len(body)
    while sent < total:
        yield b"x" * size
        sent += size
    yield b'"}'


def test_an_oversized_body_sent_chunked_gets_the_documented_413(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    before = _count(committing_engine, Order)
    headers = {**world.auth("admin"), "Content-Type": "application/json"}
    response = client.post("/orders", content=_chunks(2_600_000), headers=headers)
    assert response.status_code == 413, response.text
    assert response.json() == {"error": "too_large", "detail": "request body is too large"}
    assert _count(committing_engine, Order) == before

"""POST /orders: the company's systems post members' orders, customers' orders and
returns; the members concerned see their live figures change at once. Members cannot
post orders, for themselves or anyone else."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from fairtree.store.database import session_scope
from fairtree.store.models import AuditRecord, Order
from tests.factories import World


@pytest.fixture
def live(world: World) -> World:
    """The world's running volumes start empty: its orders were written straight in, so
    these tests watch what each posting adds."""
    return world


def progress(client: TestClient, world: World, member: str) -> tuple[str, str, str | None]:
    answer = client.get(
        f"/members/{member}/rank-progress?on=2026-03-20", headers=world.auth(member)
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["pv"], body["group_volume"], body["rank"]


def post(client: TestClient, world: World, body: dict, who: str = "admin", **headers: str):
    return client.post("/orders", json=body, headers={**world.auth(who), **headers})


def count_orders(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.scalars(select(func.count()).select_from(Order)).one()


ORDER = {
    "order_id": "SHOP-1",
    "placed_on": "2026-03-20",
    "buyer_member_id": "T",
    "lines": [{"sku": "P1", "quantity": 5}],
}


def test_a_members_order_is_stored_with_its_totals_and_counted_up_the_line(
    client: TestClient, live: World
) -> None:
    assert progress(client, live, "T") == ("0.00", "0.00", None)
    answer = post(client, live, ORDER)
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "order_id": "SHOP-1",
        "kind": "order",
        "placed_on": "2026-03-20",
        "buyer_member_id": "T",
        "buyer_customer_id": None,
        "credited_member_id": "T",
        "returns_order_id": None,
        "country": "US",
        "currency": "USD",
        "counts_in_period": "2026-03",
        "period_finalized": False,
        "totals": {
            "pv": "100.00",
            "bv": "75.00",
            "sales": "100.00",
            "other_sales": "0.00",
            "retail_margin": "0.00",
        },
        "lines": [
            {
                "line_no": 1,
                "sku": "P1",
                "quantity": 5,
                "unit_price": "20.00",
                "pv": "20.00",
                "bv": "15.00",
            }
        ],
    }
    assert progress(client, live, "T") == ("100.00", "100.00", "Bronze")
    assert progress(client, live, "S") == ("0.00", "100.00", None)
    assert progress(client, live, "U3")[1] == "100.00"
    assert progress(client, live, "X")[1] == "0.00"  # crossline: untouched


def test_a_customers_order_and_returns_reach_the_owners_figures(
    client: TestClient, live: World
) -> None:
    assert post(client, live, ORDER).status_code == 201
    sold = post(
        client,
        live,
        {
            "order_id": "SHOP-C1",
            "placed_on": "2026-03-21",
            "buyer_customer_id": "CT1",
            "lines": [{"sku": "P1", "quantity": 1}],
        },
    )
    assert sold.status_code == 201, sold.text
    body = sold.json()
    assert (body["credited_member_id"], body["lines"][0]["unit_price"]) == ("T", "25.00")
    assert body["totals"]["retail_margin"] == "5.00"
    assert progress(client, live, "T")[0] == "120.00"

    def give_back(order_id: str, day: str, lines: list[dict], of: str = "SHOP-1"):
        body = {"order_id": order_id, "kind": "return", "placed_on": day, "lines": lines}
        return post(client, live, {**body, "returns_order_id": of})

    some = give_back("SHOP-R1", "2026-03-25", [{"sku": "P1", "quantity": 2}])
    assert some.status_code == 201, some.text
    body = some.json()
    assert (body["buyer_member_id"], body["counts_in_period"]) == ("T", "2026-03")
    assert (body["lines"][0]["quantity"], body["totals"]["pv"]) == (2, "-40.00")
    assert progress(client, live, "T") == ("80.00", "80.00", None)  # below Bronze again
    rest = give_back("SHOP-R2", "2026-04-02", [])  # all that is left, in April
    assert (rest.json()["lines"][0]["quantity"], rest.json()["counts_in_period"]) == (
        3,
        "2026-03",
    )
    assert progress(client, live, "T")[0] == "20.00"  # the customer's order
    nothing = give_back("SHOP-R3", "2026-04-03", [])
    assert nothing.status_code == 422
    assert nothing.json()["problems"] == [
        {
            "source": "order",
            "location": "SHOP-R3",
            "field": "lines",
            "reason": "nothing of order SHOP-1 is left to return",
        }
    ]
    # OT1 (3 bought) was already returned once (RT1, 1 unit): 2 are left.
    too_many = give_back("SHOP-R4", "2026-04-03", [{"sku": "P1", "quantity": 3}], of="OT1")
    assert [p["reason"] for p in too_many.json()["problems"]] == [
        "returns more units of this product than the order bought (2 left to return)"
    ]


def test_posting_again_is_safe(client: TestClient, live: World, committing_engine: Engine) -> None:
    first = post(client, live, ORDER)
    assert first.status_code == 201
    same = post(client, live, ORDER)  # the same order id and content: the stored order
    assert (same.status_code, same.json()) == (200, first.json())
    assert progress(client, live, "T")[0] == "100.00"  # counted once
    other = post(client, live, {**ORDER, "lines": [{"sku": "P1", "quantity": 4}]})
    assert other.status_code == 409
    assert "already posted with a different lines" in other.json()["detail"]
    keyed = {**ORDER, "order_id": "SHOP-2"}
    once = post(client, live, keyed, **{"Idempotency-Key": "shop-2"})
    twice = post(client, live, keyed, **{"Idempotency-Key": "shop-2"})
    assert (once.status_code, twice.status_code) == (201, 201)
    assert twice.headers["Idempotent-Replayed"] == "true" and twice.json() == once.json()
    reused = post(client, live, {**keyed, "order_id": "SHOP-3"}, **{"Idempotency-Key": "shop-2"})
    assert reused.status_code == 409
    assert progress(client, live, "T")[0] == "200.00"
    assert count_orders(committing_engine) == 5 + 2


def test_a_refused_order_names_each_problem_and_writes_nothing(
    client: TestClient, live: World, committing_engine: Engine
) -> None:
    answer = post(
        client,
        live,
        {
            "order_id": "SHOP-9",
            "placed_on": "2026-03-20",
            "buyer_member_id": "NOPE",
            "lines": [{"sku": "P1", "quantity": 1}],
        },
    )
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        {
            "source": "order",
            "location": "SHOP-9",
            "field": "buyer_member_id",
            "reason": "no member 'NOPE'",
        }
    ]
    unknown = post(client, live, {**ORDER, "lines": [{"sku": "TEA", "quantity": 1}]})
    assert [(p["location"], p["reason"]) for p in unknown.json()["problems"]] == [
        ("SHOP-1 line 1", "no product 'TEA' in US")
    ]
    assert count_orders(committing_engine) == 5
    assert progress(client, live, "T")[0] == "0.00"


@pytest.mark.parametrize("who", ["T", "D", "S", "support"])
def test_members_and_support_cannot_post_orders(
    client: TestClient, live: World, committing_engine: Engine, who: str
) -> None:
    for buyer in ("T", who if who != "support" else "D"):
        answer = post(client, live, {**ORDER, "buyer_member_id": buyer}, who=who)
        assert (answer.status_code, answer.json()["error"]) == (404, "not_found")
    assert count_orders(committing_engine) == 5
    assert progress(client, live, "T")[0] == "0.00"


def test_each_new_order_is_audited_with_who_posted_it(
    client: TestClient, live: World, committing_engine: Engine
) -> None:
    assert post(client, live, ORDER).status_code == 201
    assert post(client, live, ORDER).status_code == 200  # a replay adds no record
    with session_scope(committing_engine) as session:
        records = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "order_posted")
        ).all()
        assert [(r.subject_id, r.actor_role, r.reason) for r in records] == [
            ("SHOP-1", "admin", "posted through the API")
        ]
        assert records[0].after["credited_member_id"] == "T"
        assert records[0].after["total_pv"] == 10000  # 5 x 20.00 PV

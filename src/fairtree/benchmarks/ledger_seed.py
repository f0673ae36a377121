"""A large synthetic company written straight into a database, for ledger benchmarks.

Members come from the synthetic network generator (realistic depth), inserted
set-based with explicit ids; orders are one line each, spread over one month.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fairtree.dataset.arrays import Rows
from fairtree.engine.order_rollup import LineFacts, order_totals
from fairtree.simulation.synth_network import NetworkKnobs, generate_members, month_bounds
from fairtree.store.database import settle
from fairtree.store.models import Company, PlanVersion, Product
from fairtree.store.repositories.bulk.load import (
    advance_id_sequences,
    defer_sqlite_foreign_keys,
    insert_rows,
    open_history_for_all_members,
    sqlite_large_cache,
)

BENCH_PLAN = """\
plan: {name: ledger benchmark}
currency: USD
activity: {min_pv: 50}
ranks:
  - {name: bronze, conditions: {pv: 50}}
  - {name: silver, conditions: {group_volume: 500, active_personal: 2}}
  - {name: gold, conditions: {max_leg: {requirement: 2500, max_leg_percent: "50%"}}}
  - {name: platinum, conditions: {max_leg: {requirement: 10000, max_leg_percent: "40%"}}}
bonuses:
  - id: unilevel
    kind: unilevel
    rates: ["10%", "5%", "5%", "3%", "2%"]
    compression: dynamic
"""
# With ``binary=True`` the members are also placed in a binary tree and the plan adds a
# binary bonus on it (weak leg, carry): what the placement tree's legs and carry read.
BINARY_BONUS = """\
  - id: binary
    kind: binary
    volume: bv
    weak_leg_rate: "10%"
    carry: {enabled: true, max_carry: 5000, flush_if_inactive: true}
    cap: 500
"""
MONTH = date(2026, 3, 1)


def bench_plan(binary: bool) -> str:
    return BENCH_PLAN + (BINARY_BONUS if binary else "")


def seed(
    engine: Engine, members: int, orders: int, seed_value: int, binary: bool = False
) -> np.ndarray:
    """Company, plan, product, members (and ``orders`` March orders); returns sponsors."""
    rng = np.random.default_rng(seed_value)
    bounds = month_bounds(np.datetime64("2025-03-01", "D"), 12)
    placement = "binary" if binary else "none"
    network = generate_members(rng, members, bounds, placement, "weaker_leg", 3, NetworkKnobs())
    plan = bench_plan(binary)
    ids = np.arange(1, members + 1, dtype=np.int64)
    sponsor = network.sponsor.astype(np.int64)
    with Session(engine) as session, session.begin():
        company = Company(
            company_id="bench",
            name="Benchmark Co",
            currency="USD",
            country="US",
            period_kind="month",
            placement=placement,
        )
        session.add(company)
        session.flush()
        session.add(
            PlanVersion(
                company_id=company.id,
                version="bench",
                effective_from=date(2025, 1, 1),
                yaml_text=plan,
                sha256=hashlib.sha256(plan.encode()).hexdigest(),
            )
        )
        session.add(
            Product(
                sku="BOX",
                country="US",
                name="Box",
                currency="USD",
                retail_price=5000,
                member_price=4000,
                pv=2500,
                bv=2000,
            )
        )
        session.flush()
        rows = [
            Rows(
                "members",
                {
                    "id": ids,
                    "member_id": np.char.add("M", np.char.zfill(ids.astype(str), 7)).astype(object),
                    "sponsor_id": _sponsor_ids(sponsor),
                    "joined_on": network.joined_on.astype(str).astype(object),
                    "status": network.status.astype(object),
                    "status_since": network.joined_on.astype(str).astype(object),
                    "country": np.full(members, "US", dtype=object),
                    "currency": np.full(members, "USD", dtype=object),
                    "display_name": np.full(members, "member", dtype=object),
                    "identity_verified": np.ones(members, dtype=bool),
                    **(
                        _placement_columns(network.placement_parent, network.placement_position)
                        if binary
                        else {}
                    ),
                },
            )
        ]
        if orders:
            rows += order_rows(rng, members, orders, MONTH, 1)
        if engine.dialect.name == "sqlite":
            defer_sqlite_foreign_keys(session)
            with sqlite_large_cache(session):
                for table in rows:
                    insert_rows(session, table)
        else:
            for table in rows:
                insert_rows(session, table)
        open_history_for_all_members(session, reason="bench", actor="bench")
        advance_id_sequences(session, ["members", "orders"])
    # Time a settled database, as autovacuum leaves it, not the first reads after a bulk
    # insert (which set every row's hint bits and write the pages back), nor reads that
    # share the machine with the checkpoint writing the seed out.
    settle(engine)
    return sponsor


def _placement_columns(parent: np.ndarray, slot: np.ndarray) -> dict[str, np.ndarray]:
    """Binary placement parent ids and positions (slot 0 = L, 1 = R; -1 for a root)."""
    position = np.array([None, "L", "R"], dtype=object)[np.clip(slot.astype(np.int64) + 1, 0, 2)]
    return {
        "placement_parent_id": _sponsor_ids(parent.astype(np.int64)),
        "placement_position": position,
    }


def _sponsor_ids(sponsor: np.ndarray) -> np.ndarray:
    """1-based sponsor ids as Python objects, None for a root (sponsor index -1)."""
    ids = (sponsor + 1).astype(object)
    ids[sponsor < 0] = None
    return ids


def order_rows(
    rng: np.random.Generator, members: int, orders: int, month: date, first_id: int
) -> list[Rows]:
    """``orders`` one-line orders of random members (ids 1..members) on days of ``month``,
    with ids from ``first_id``: rows of orders and of order_lines."""
    days = ((month.replace(day=28) + timedelta(days=4)).replace(day=1) - month).days
    buyer = rng.integers(1, members + 1, size=orders)
    order_ids = np.arange(first_id, first_id + orders, dtype=np.int64)
    day = rng.integers(0, days, size=orders)
    placed = (np.datetime64(month, "D") + day).astype(str).astype(object)
    quantity = rng.integers(1, 4, size=orders)
    totals = order_totals(
        LineFacts(
            order=order_ids - first_id,
            quantity=quantity,
            unit_price=np.full(orders, 4000, dtype=np.int64),
            pv=np.full(orders, 2500, dtype=np.int64),
            bv=np.full(orders, 2000, dtype=np.int64),
            commissionable=np.ones(orders, dtype=bool),
            retail_margin=np.full(orders, 1000, dtype=np.int64),
        ),
        is_return=np.zeros(orders, dtype=bool),
        from_customer=np.zeros(orders, dtype=bool),
    )
    return [
        Rows(
            "orders",
            {
                "id": order_ids,
                "order_id": np.char.add("O", order_ids.astype(str)).astype(object),
                "kind": np.full(orders, "order", dtype=object),
                "placed_on": placed,
                "buyer_member_id": buyer,
                "country": np.full(orders, "US", dtype=object),
                "currency": np.full(orders, "USD", dtype=object),
                "credited_member_id": buyer,
                "counts_on": placed,
                **totals,
            },
        ),
        Rows(
            "order_lines",
            {
                "order_id": order_ids,
                "line_no": np.ones(orders, dtype=np.int64),
                "product_id": np.ones(orders, dtype=np.int64),
                "quantity": quantity,
                "unit_price": np.full(orders, 4000, dtype=np.int64),
                "pv": np.full(orders, 2500, dtype=np.int64),
                "bv": np.full(orders, 2000, dtype=np.int64),
            },
        ),
    ]

"""Posting an order keeps the buyer's PV, every upline member's group volume and their
frontline aggregates current; progress reads them without scanning any frontline."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from fairtree.errors import ValidationError
from fairtree.services.orders.rank_progress import (
    NewLine,
    line_progress,
    post_order,
    rebuild_period_volumes,
)
from fairtree.store.repositories.orders import running_volumes as volumes
from tests.factories import MAX_LEG_PLAN, add_plan, member_db_id, product, seed_company


@pytest.fixture
def company(session: Session) -> Session:
    created = seed_company(session, orders=False)
    add_plan(session, created.id, MAX_LEG_PLAN, "v2", date(2026, 1, 1))
    session.add(product("Q", retail_price=5000, member_price=4000, pv=5000, bv=4000))
    session.flush()
    return session


def summary(session: Session, member: str) -> list[tuple]:
    return [
        (p.member_id, p.depth, p.pv, p.group_volume, p.progress.rank, p.progress.next_rank)
        for p in line_progress(session, member, date(2026, 3, 1))
    ]


def test_an_order_updates_the_buyer_and_every_ancestor(company: Session) -> None:
    post_order(company, "N1", "D", date(2026, 3, 5), [NewLine("Q", 1)])
    assert summary(company, "D") == [
        ("D", 0, 5000, 5000, "bronze", "silver"),
        ("C", 1, 0, 5000, None, "bronze"),
        ("B", 2, 0, 5000, None, "bronze"),
        ("A", 3, 0, 5000, None, "bronze"),
    ]
    (d, c, *_rest) = line_progress(company, "D", date(2026, 3, 1))
    assert [(n.condition, n.have, n.need, n.missing) for n in d.progress.needs] == [
        ("max_leg_volume", 5000, 15000, 10000),
        ("active_personal", 0, 1, 1),
    ]
    post_order(company, "N2", "C", date(2026, 3, 6), [NewLine("Q", 1)])
    post_order(company, "N3", "D", date(2026, 3, 7), [NewLine("Q", 1)])
    # C: own 50 + D's leg 100 capped at 75 = 125 of 150; D is active (1 of 1).
    (_d, c, *_rest) = line_progress(company, "D", date(2026, 3, 1))
    assert (c.pv, c.group_volume, c.progress.rank) == (5000, 15000, "bronze")
    assert [(n.condition, n.have, n.missing) for n in c.progress.needs] == [
        ("max_leg_volume", 12500, 2500),
        ("active_personal", 1, 0),
    ]


def test_other_periods_are_untouched(company: Session) -> None:
    post_order(company, "N1", "D", date(2026, 4, 1), [NewLine("Q", 1)])
    assert summary(company, "D")[0][2:4] == (0, 0)


def test_live_figures_equal_a_full_recomputation(company: Session) -> None:
    buys = [("D", 1), ("B", 3), ("C", 2), ("D", 1), ("A", 1), ("B", 1)]
    for n, (buyer, quantity) in enumerate(buys):
        post_order(company, f"N{n}", buyer, date(2026, 3, 1 + n), [NewLine("Q", quantity)])
    live, live_legs = (
        volumes.period_rows(company, "2026-03"),
        volumes.period_legs(company, "2026-03"),
    )
    assert rebuild_period_volumes(company, "2026-03") == 4
    assert volumes.period_rows(company, "2026-03") == live
    assert volumes.period_legs(company, "2026-03") == live_legs
    a, b = member_db_id(company, "A"), member_db_id(company, "B")
    assert live[a] == (5000, 45000, 1)  # B is active
    assert live_legs[(a, 7500)] == 7500  # B's leg (400 points) counts 75
    assert live[b][2] == 1  # C is active


def test_a_bad_order_names_its_line_and_writes_nothing(company: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        post_order(company, "N1", "D", date(2026, 3, 5), [NewLine("Q", 0), NewLine("X", 1)])
    assert [str(p) for p in caught.value.problems] == [
        "order:N1 line 2 [sku]: no product 'X' in US",
        "order:N1 line 1 [quantity]: must be greater than zero",
    ]
    assert volumes.period_rows(company, "2026-03") == {}

"""Posting an order keeps the buyer's PV and every upline member's group volume current."""

from __future__ import annotations

from datetime import date

import pytest
from ledger_company import member_db_id, seed_company
from sqlalchemy.orm import Session

from fairtree.errors import ValidationError
from fairtree.services.rank_progress import (
    NewLine,
    line_progress,
    post_order,
    rebuild_period_volumes,
)
from fairtree.store.models import Product
from fairtree.store.repositories import volumes


@pytest.fixture
def company(session: Session) -> Session:
    seed_company(session, orders=False)
    session.add(
        Product(
            sku="Q",
            country="US",
            name="Q",
            currency="USD",
            retail_price=5000,
            member_price=4000,
            pv=5000,
            bv=4000,
        )
    )
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
    (d, *_rest) = line_progress(company, "D", date(2026, 3, 1))
    assert [(n.condition, n.have, n.need, n.missing) for n in d.progress.needs] == [
        ("group_volume", 5000, 15000, 10000)
    ]
    post_order(company, "N2", "A", date(2026, 3, 6), [NewLine("Q", 2)])
    post_order(company, "N3", "C", date(2026, 3, 7), [NewLine("Q", 1)])
    assert summary(company, "D") == [
        ("D", 0, 5000, 5000, "bronze", "silver"),
        ("C", 1, 5000, 10000, "bronze", "silver"),
        ("B", 2, 0, 10000, None, "bronze"),
        ("A", 3, 10000, 20000, "silver", None),
    ]


def test_other_periods_are_untouched(company: Session) -> None:
    post_order(company, "N1", "D", date(2026, 4, 1), [NewLine("Q", 1)])
    assert summary(company, "D")[0][2:4] == (0, 0)


def test_live_volumes_equal_a_full_recomputation(company: Session) -> None:
    for n, (buyer, quantity) in enumerate([("D", 1), ("B", 3), ("C", 2), ("D", 1), ("A", 1)]):
        post_order(company, f"N{n}", buyer, date(2026, 3, 1 + n), [NewLine("Q", quantity)])
    live = volumes.period_rows(company, "2026-03")
    assert rebuild_period_volumes(company, "2026-03") == 4
    assert volumes.period_rows(company, "2026-03") == live
    assert live[member_db_id(company, "A")] == (5000, 40000)


def test_a_bad_order_names_its_line_and_writes_nothing(company: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        post_order(company, "N1", "D", date(2026, 3, 5), [NewLine("Q", 0), NewLine("X", 1)])
    assert [str(p) for p in caught.value.problems] == [
        "order:N1 line 2 [sku]: no product 'X' in US",
        "order:N1 line 1 [quantity]: must be greater than zero",
    ]
    assert volumes.period_rows(company, "2026-03") == {}

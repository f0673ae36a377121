"""The tree as it stood on past dates, after a move and a termination; volumes per tree."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.periods import Period
from fairtree.services.network.downline import (
    DownlineNode,
    downline_as_of,
    downline_report,
    sponsor_as_of,
)
from fairtree.services.network.genealogy import move, terminate
from fairtree.store.models import Member, Order, Product
from fairtree.store.repositories.orders.orders import record_order
from tests import factories
from tests.factories import ADMIN, add_company, add_root, join

MAR_1 = date(2026, 3, 1)
APR_1 = date(2026, 4, 1)


@pytest.fixture
def timeline(session: Session) -> Session:
    """Jan: ROOT, A, B; Feb: A1, A2 (under A), A11 (under A1);
    Mar 1: A1 (with A11) moves under B; Apr 1: A is terminated, A2 rolls up to ROOT."""
    add_company(session, "matrix", None, 2)
    add_root(session)
    join(session, "A", "ROOT", date(2026, 1, 10))
    join(session, "B", "ROOT", date(2026, 1, 20))
    join(session, "A1", "A", date(2026, 2, 1))
    join(session, "A2", "A", date(2026, 2, 5))
    join(session, "A11", "A1", date(2026, 2, 10))
    move(session, ADMIN, "A1", sponsor_id="B", reason="sponsor error", effective_on=MAR_1)
    terminate(session, ADMIN, "A", reason="left the business", effective_on=APR_1)
    return session


@pytest.mark.parametrize(
    ("member", "on", "sponsor"),
    [
        ("A1", date(2026, 2, 1), "A"),
        ("A1", date(2026, 2, 28), "A"),
        ("A1", MAR_1, "B"),
        ("A1", date(2026, 6, 1), "B"),
        ("A2", date(2026, 3, 31), "A"),
        ("A2", APR_1, "ROOT"),
        ("A11", date(2026, 5, 1), "A1"),
        ("A", date(2026, 5, 1), "ROOT"),
        ("ROOT", date(2026, 5, 1), None),
    ],
)
def test_sponsor_as_of(timeline: Session, member: str, on: date, sponsor: str | None) -> None:
    assert sponsor_as_of(timeline, member, on) == sponsor


def test_no_sponsor_before_joining(timeline: Session) -> None:
    with pytest.raises(NotFoundError, match=r"member 'A11' \[joined_on\]: not in the network"):
        sponsor_as_of(timeline, "A11", date(2026, 2, 9))


@pytest.mark.parametrize(
    ("member", "on", "expected"),
    [
        ("ROOT", date(2026, 1, 15), {"A": 1}),
        ("A", date(2026, 2, 15), {"A1": 1, "A2": 1, "A11": 2}),
        ("A", date(2026, 3, 15), {"A2": 1}),
        ("A", date(2026, 4, 15), {}),
        ("B", date(2026, 2, 15), {}),
        ("B", date(2026, 3, 15), {"A1": 1, "A11": 2}),
        ("ROOT", date(2026, 2, 15), {"A": 1, "B": 1, "A1": 2, "A2": 2, "A11": 3}),
        ("ROOT", date(2026, 4, 15), {"A": 1, "B": 1, "A2": 1, "A1": 2, "A11": 3}),
    ],
)
def test_downline_as_of(timeline: Session, member: str, on: date, expected: dict[str, int]) -> None:
    assert downline_as_of(timeline, member, on) == expected


def test_downline_as_of_with_a_depth_limit(timeline: Session) -> None:
    assert downline_as_of(timeline, "ROOT", date(2026, 2, 15), depth=1) == {"A": 1, "B": 1}


def test_two_changes_on_one_day_leave_only_the_last(timeline: Session) -> None:
    june = date(2026, 6, 1)
    move(timeline, ADMIN, "A11", sponsor_id="B", reason="first", effective_on=june)
    move(timeline, ADMIN, "A11", sponsor_id="A2", reason="corrected", effective_on=june)
    assert sponsor_as_of(timeline, "A11", june) == "A2"
    assert sponsor_as_of(timeline, "A11", date(2026, 5, 31)) == "A1"
    assert downline_as_of(timeline, "B", june) == {"A1": 1}


def _order(
    session: Session,
    order_id: str,
    buyer: str,
    on: date,
    pv: int,
    kind: str = "order",
    returns: str | None = None,
    customer: bool = False,
) -> None:
    product = session.scalars(select(Product).where(Product.sku == "P1")).first()
    if product is None:
        product = factories.product("P1", name="Tea", pv=pv, bv=pv)
        session.add(product)
        session.flush()
    member = session.scalars(select(Member).where(Member.member_id == buyer)).one()
    buyer_customer = None
    if customer:
        buyer_customer = factories.customer(
            f"C-{order_id}", member.id, name="Cy", created_on=date(2026, 1, 1)
        )
        session.add(buyer_customer)
        session.flush()
    reverses = None
    if returns is not None:
        reverses = session.scalars(select(Order).where(Order.order_id == returns)).one().id
    order = factories.order(
        order_id,
        on,
        None if customer else member.id,
        buyer_customer.id if buyer_customer else None,
        kind=kind,
        returns_order_id=reverses,
    )
    line = factories.order_line(product.id, pv, pv, quantity=2)
    record_order(session, order, [line])


def _flatten(node: DownlineNode) -> dict[str, tuple[int, str, int, int]]:
    found = {node.member_id: (node.level, node.status, node.personal_volume, node.group_volume)}
    for child in node.children:
        found.update(_flatten(child))
    return found


def test_downline_report_volumes_and_statuses(timeline: Session) -> None:
    march = Period.parse("2026-03")
    _order(timeline, "O1", "A11", date(2026, 3, 5), 1000)  # 2 x 10.00 PV = 2000
    _order(timeline, "O2", "A1", date(2026, 3, 6), 1000)  # 2000
    _order(timeline, "O3", "A1", date(2026, 3, 20), 1000, kind="return", returns="O2")  # -2000
    _order(timeline, "O4", "B", date(2026, 3, 7), 1000, customer=True)  # B's customer: 2000
    _order(timeline, "O5", "A2", date(2026, 4, 2), 1000)  # April: not in March
    _order(timeline, "O6", "A", date(2026, 3, 9), 1000)  # 2000
    report = downline_report(timeline, "ROOT", march, on=date(2026, 3, 15))
    assert _flatten(report) == {
        "ROOT": (0, "active", 0, 6000),
        "A": (1, "active", 2000, 2000),  # A2 has no March volume
        "A2": (2, "active", 0, 0),
        "B": (1, "active", 2000, 4000),
        "A1": (2, "active", 0, 2000),  # order and its return cancel
        "A11": (3, "active", 2000, 2000),
    }
    now = downline_report(timeline, "ROOT", march, depth=1)
    shown = _flatten(now)
    assert shown == {
        "ROOT": (0, "active", 0, 6000),
        "A": (1, "terminated", 2000, 2000),  # A2 rolled up to ROOT on Apr 1
        "A2": (1, "active", 0, 0),
        "B": (1, "active", 2000, 4000),  # full subtree counted, deeper levels not shown
    }

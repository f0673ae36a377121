"""Tiny Co: a small company written straight into the store, for ledger and close tests.

The network and orders are those of tests/plans/unilevel_compression_basic.yaml, whose
numbers are worked out by hand there: in 2026-03 A earns 7.34 and C 4.00 (unilevel
10% / 5%, dynamic compression, active at PV 50), pool 29.00, breakage 17.66.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.money import parse_points
from fairtree.store.models import Company, Member, Order, Product
from fairtree.store.repositories.orders.orders import record_order
from tests.factories.records import (
    JAN_1,
    add_company,
    add_member,
    add_plan,
    member_db_id,
    order,
    order_line,
    product,
)

PLAN_YAML = """\
plan: {name: tiny unilevel}
currency: USD
rounding: half_up
activity: {min_pv: 50}
ranks:
  - {name: bronze, conditions: {pv: 50}}
  - {name: silver, conditions: {group_volume: 150}}
bonuses:
  - id: uni
    kind: unilevel
    rates: ["10%", "5%"]
    compression: dynamic
    compressed_volume: roll_up
"""

# silver: own PV 50 + legs, each leg counted at most 50% of 150 = 75 points; one active
# frontline member.
MAX_LEG_PLAN = PLAN_YAML.replace(
    "  - {name: silver, conditions: {group_volume: 150}}",
    "  - {name: silver, conditions: {max_leg: {requirement: 150, max_leg_percent: '50%'},"
    " active_personal: 1}}",
)

NETWORK = (("A", None), ("B", "A"), ("C", "B"), ("D", "C"))
MARCH_ORDERS = (
    ("O-A", "A", "100", "100"),
    ("O-B", "B", "20", "20"),
    ("O-C", "C", "60", "33.35"),
    ("O-D", "D", "50", "40"),
)


def seed_company(session: Session, orders: bool = True) -> Company:
    """Company, plan, network A <- B <- C <- D and (optionally) March 2026 orders."""
    company = add_company(session, company_id="tiny", name="Tiny Co")
    add_plan(session, company.id, PLAN_YAML, "v1", date(2026, 1, 1))
    for name, sponsor in NETWORK:
        add_tiny_member(session, name, sponsor)
    session.add(product("P", name="Product"))
    session.flush()
    if orders:
        for order_id, buyer, pv, bv in MARCH_ORDERS:
            post_order(session, order_id, buyer, date(2026, 3, 10), pv, bv)
    session.flush()
    return company


def add_tiny_member(
    session: Session, member_id: str, sponsor: str | None, joined_on: date = JAN_1
) -> Member:
    """A verified member of Tiny Co under ``sponsor`` (an external id), active from joining."""
    sponsor_pk = member_db_id(session, sponsor) if sponsor else None
    return add_member(
        session,
        member_id,
        sponsor_pk,
        reason="test",
        actor="test",
        joined_on=joined_on,
        identity_verified=True,
    )


def post_order(
    session: Session,
    order_id: str,
    buyer: str,
    placed_on: date,
    pv: str,
    bv: str,
    returns: str | None = None,
) -> Order:
    """One order (or a return of ``returns``) with one line of the given PV/BV."""
    product_pk = session.scalars(select(Product.id).where(Product.sku == "P")).one()
    original = None
    if returns is not None:
        original = session.scalar(select(Order.id).where(Order.order_id == returns))
    row = order(
        order_id,
        placed_on,
        member_db_id(session, buyer),
        kind="return" if returns else "order",
        returns_order_id=original,
    )
    line = order_line(product_pk, parse_points(pv), parse_points(bv))
    return record_order(session, row, [line])

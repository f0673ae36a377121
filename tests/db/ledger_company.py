"""A small company written straight into the store, for ledger and close tests.

The network and orders are those of tests/plans/unilevel_compression_basic.yaml, whose
numbers are worked out by hand there: in 2026-03 A earns 7.34 and C 4.00 (unilevel
10% / 5%, dynamic compression, active at PV 50), pool 29.00, breakage 17.66.
"""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.money import parse_points
from fairtree.store.models import (
    Company,
    GenealogyRecord,
    Member,
    Order,
    OrderLine,
    PlanVersion,
    Product,
)
from fairtree.store.repositories.orders.orders import record_order

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


def add_plan(session: Session, company_id: int, text: str, version: str, since: date) -> None:
    session.add(
        PlanVersion(
            company_id=company_id,
            version=version,
            effective_from=since,
            yaml_text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
    )
    session.flush()


def seed_company(session: Session, orders: bool = True) -> Company:
    """Company, plan, network A <- B <- C <- D and (optionally) March 2026 orders."""
    company = Company(
        company_id="tiny",
        name="Tiny Co",
        currency="USD",
        country="US",
        period_kind="month",
        placement="none",
    )
    session.add(company)
    session.flush()
    add_plan(session, company.id, PLAN_YAML, "v1", date(2026, 1, 1))
    ids: dict[str, int] = {}
    for name, sponsor in NETWORK:
        member = Member(
            member_id=name,
            sponsor_id=ids.get(sponsor) if sponsor else None,
            joined_on=date(2026, 1, 1),
            status="active",
            status_since=date(2026, 1, 1),
            country="US",
            currency="USD",
            display_name=name,
            identity_verified=True,
        )
        session.add(member)
        session.flush()
        ids[name] = member.id
        session.add(
            GenealogyRecord(
                member_id=member.id,
                sponsor_id=member.sponsor_id,
                valid_from=date(2026, 1, 1),
                status="active",
                reason="test",
                actor="test",
            )
        )
    session.add(
        Product(
            sku="P",
            country="US",
            name="Product",
            currency="USD",
            retail_price=1000,
            member_price=800,
            pv=0,
            bv=0,
        )
    )
    session.flush()
    if orders:
        for order_id, buyer, pv, bv in MARCH_ORDERS:
            post_order(session, order_id, buyer, date(2026, 3, 10), pv, bv)
    session.flush()
    return company


def member_db_id(session: Session, name: str) -> int:
    return int(session.scalar(select(Member.id).where(Member.member_id == name)))


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
    product = session.scalar(select(Product.id).where(Product.sku == "P"))
    original = None
    if returns is not None:
        original = session.scalar(select(Order.id).where(Order.order_id == returns))
    order = Order(
        order_id=order_id,
        kind="return" if returns else "order",
        placed_on=placed_on,
        buyer_member_id=member_db_id(session, buyer),
        country="US",
        currency="USD",
        returns_order_id=original,
    )
    line = OrderLine(
        line_no=1,
        product_id=product,
        quantity=1,
        unit_price=800,
        pv=parse_points(pv),
        bv=parse_points(bv),
    )
    return record_order(session, order, [line])

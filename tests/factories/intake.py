"""The ledger test company (A <- B <- C <- D) ready for order intake: products at member
and retail prices, retail customers, and a plan from April on that counts PV from BV
and leaves customers' orders out of the volumes."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tests.factories.ledger import MAX_LEG_PLAN, seed_company
from tests.factories.records import add_plan, customer, member_db_id, product

APRIL_PLAN = MAX_LEG_PLAN.replace(
    "rounding: half_up\n", "rounding: half_up\nvolumes: {pv_from: bv, customer_orders: none}\n"
)
assert APRIL_PLAN != MAX_LEG_PLAN

# sku: (retail price, member price, pv, bv, commissionable, currency); all sold in the US.
PRODUCTS = {
    "Q": (5000, 4000, 5000, 4000, True, "USD"),
    "S": (1500, 1200, 1000, 800, True, "USD"),
    "N": (300, 300, 0, 0, False, "USD"),  # a catalogue, no volume
    "Z": (900, 700, 500, 500, True, "CAD"),  # priced in another currency
}
CUSTOMERS = {"K": "C", "L": "A"}  # customer -> owning member


def seed_intake(session: Session, orders: bool = False) -> int:
    """Tiny Co (with its March orders if ``orders``) ready for intake; its id."""
    company = seed_company(session, orders=orders)
    add_plan(session, company.id, MAX_LEG_PLAN, "v2", date(2026, 1, 1))
    add_plan(session, company.id, APRIL_PLAN, "v3", date(2026, 4, 1))
    for sku, (retail, member, pv, bv, commissionable, currency) in PRODUCTS.items():
        session.add(
            product(
                sku,
                currency=currency,
                retail_price=retail,
                member_price=member,
                pv=pv,
                bv=bv,
                commissionable=commissionable,
            )
        )
    for customer_id, owner in CUSTOMERS.items():
        session.add(customer(customer_id, member_db_id(session, owner)))
    session.flush()
    return company.id

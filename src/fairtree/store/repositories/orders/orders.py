"""Record one order with its lines, deriving the totals the close reads; and the reads
order intake needs (an order by id, its lines, what was returned of it, prices).

``record_order`` is the one ORM path that writes orders (intake, fixtures); the dataset
import derives the same totals set-based (``dataset.orders.add_order_totals``). Flushes,
never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased

from fairtree.engine.order_rollup import LineFacts, order_totals
from fairtree.errors import Problem, ValidationError
from fairtree.store.models import Customer, Member, Order, OrderLine, Product


def record_order(session: Session, order: Order, lines: Sequence[OrderLine]) -> Order:
    """Add ``order`` (credited member, counts_on and totals derived here) and its lines."""
    order.credited_member_id = order.buyer_member_id or _customer_owner(session, order)
    order.counts_on = order.placed_on
    if order.returns_order_id is not None:
        reversed_on = session.scalar(
            select(Order.placed_on).where(Order.id == order.returns_order_id)
        )
        if reversed_on is None:
            raise _problem(order, "returns_order_id", "reverses no recorded order")
        order.counts_on = reversed_on
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_({line.product_id for line in lines}))
        )
    }
    for number, line in enumerate(lines, start=1):
        if line.product_id not in products:
            raise _problem(order, "product_id", f"line {number}: no product {line.product_id}")
    facts = LineFacts(
        order=np.zeros(len(lines), dtype=np.int64),
        quantity=np.array([line.quantity for line in lines], dtype=np.int64),
        unit_price=np.array([line.unit_price for line in lines], dtype=np.int64),
        pv=np.array([line.pv for line in lines], dtype=np.int64),
        bv=np.array([line.bv for line in lines], dtype=np.int64),
        commissionable=np.array([products[x.product_id].commissionable for x in lines], bool),
        retail_margin=np.array(
            [
                products[x.product_id].retail_price - products[x.product_id].member_price
                for x in lines
            ],
            dtype=np.int64,
        ),
    )
    totals = order_totals(
        facts, np.array([order.kind == "return"]), np.array([order.buyer_customer_id is not None])
    )
    for name, column in totals.items():
        setattr(order, name, int(column[0]))
    session.add(order)
    session.flush()
    for line in lines:
        line.order_id = order.id
        session.add(line)
    session.flush()
    return order


def _customer_owner(session: Session, order: Order) -> int:
    owner = session.scalar(select(Customer.member_id).where(Customer.id == order.buyer_customer_id))
    if owner is None:
        raise _problem(order, "buyer_customer_id", "no such customer")
    return owner


def _problem(order: Order, field: str, reason: str) -> ValidationError:
    return ValidationError([Problem("order", order.order_id, field, reason)])


def _margin(product: Product) -> int:
    return product.retail_price - product.member_price


def find_order(session: Session, order_id: str, *, lock: bool = False) -> Order | None:
    """The order or return with this external id; ``lock``: hold its row (PostgreSQL)
    until the transaction ends, so returns of one order are checked one after another."""
    query = select(Order).where(Order.order_id == order_id)
    return session.scalar(query.with_for_update() if lock else query)


def lines_with_skus(session: Session, order_pk: int) -> list[tuple[OrderLine, str]]:
    """An order's lines in line order, each with its product's sku."""
    rows = session.execute(
        select(OrderLine, Product.sku)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order_pk)
        .order_by(OrderLine.line_no)
    )
    return [(line, sku) for line, sku in rows]


def returned_quantities(session: Session, order_pk: int) -> dict[int, int]:
    """product id -> units given back so far by every return of the order."""
    rows = session.execute(
        select(OrderLine.product_id, func.sum(OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.returns_order_id == order_pk)
        .group_by(OrderLine.product_id)
    )
    return {int(product): int(units) for product, units in rows}


def products_by_sku(session: Session, skus: set[str], country: str) -> dict[str, Product]:
    """The price rows of ``skus`` in ``country``."""
    query = select(Product).where(Product.sku.in_(skus), Product.country == country)
    return {p.sku: p for p in session.scalars(query)}


def customer_by_external_id(session: Session, customer_id: str) -> Customer | None:
    return session.scalar(select(Customer).where(Customer.customer_id == customer_id))


def _member_of(column: Any) -> Any:
    return select(Member.member_id).where(Member.id == column).scalar_subquery()


_REVERSED = aliased(Order)
# Each id is a primary-key lookup of its own (scalar subqueries), so no planner can turn
# outer joins into a scan of the members; built once, so it compiles once.
_EXTERNAL_IDS = select(
    _member_of(Order.buyer_member_id),
    select(Customer.customer_id).where(Customer.id == Order.buyer_customer_id).scalar_subquery(),
    _member_of(Order.credited_member_id),
    select(_REVERSED.order_id).where(_REVERSED.id == Order.returns_order_id).scalar_subquery(),
).where(Order.id == bindparam("order"))


def external_ids(session: Session, order_pk: int) -> tuple[str | None, str | None, str, str | None]:
    """(buyer member id, buyer customer id, credited member id, reversed order id)."""
    row = session.execute(_EXTERNAL_IDS, {"order": order_pk}).one()
    return row[0], row[1], str(row[2]), row[3]


def top_commissionable_sku(session: Session, country: str) -> str | None:
    """The commissionable product of ``country`` with the most BV (ties: first SKU)."""
    return session.scalar(
        select(Product.sku)
        .where(Product.country == country, Product.commissionable.is_(True))
        .order_by(Product.bv.desc(), Product.sku)
    )

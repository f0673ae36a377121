"""Record one order with its lines, deriving the totals the close reads.

The one ORM path that writes orders (posting, fixtures); the dataset import derives the
same totals set-based (``dataset.orders.add_order_totals``). Flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.engine.order_rollup import LineFacts, order_totals
from fairtree.errors import Problem, ValidationError
from fairtree.store.models import Customer, Order, OrderLine, Product


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

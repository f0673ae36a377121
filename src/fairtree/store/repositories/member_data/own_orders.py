"""Queries for one member's own records: orders (with totals) and retail customers.

Every query is scoped by the owning member, so a record id that belongs to someone
else is simply not found.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fairtree.store.models import Customer, Order, OrderLine


def _order_totals():  # type: ignore[no-untyped-def]
    return (
        select(
            OrderLine.order_id.label("order_pk"),
            func.sum(OrderLine.unit_price * OrderLine.quantity).label("amount"),
            func.sum(OrderLine.pv * OrderLine.quantity).label("pv"),
            func.sum(OrderLine.bv * OrderLine.quantity).label("bv"),
            func.count().label("lines"),
        )
        .group_by(OrderLine.order_id)
        .subquery()
    )


def orders_of_member(
    session: Session, member_pk: int, limit: int, offset: int, order_id: str | None = None
) -> list[tuple[Order, int, int, int, int]]:
    """The member's own orders and returns, newest first, with amount/PV/BV/line count."""
    totals = _order_totals()
    query = (
        select(
            Order,
            func.coalesce(totals.c.amount, 0),
            func.coalesce(totals.c.pv, 0),
            func.coalesce(totals.c.bv, 0),
            func.coalesce(totals.c.lines, 0),
        )
        .outerjoin(totals, totals.c.order_pk == Order.id)
        .where(Order.buyer_member_id == member_pk)
        .order_by(Order.placed_on.desc(), Order.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if order_id is not None:
        query = query.where(Order.order_id == order_id)
    return [(o, int(a), int(p), int(b), int(n)) for o, a, p, b, n in session.execute(query)]


def customers_of_member(
    session: Session, member_pk: int, limit: int, offset: int, customer_id: str | None = None
) -> list[Customer]:
    query = (
        select(Customer)
        .where(Customer.member_id == member_pk)
        .order_by(Customer.id)
        .limit(limit)
        .offset(offset)
    )
    if customer_id is not None:
        query = query.where(Customer.customer_id == customer_id)
    return list(session.scalars(query))


def order_ids(session: Session, order_pks: list[int | None]) -> dict[int, str]:
    """External ids of the given orders (for returns pointing at their order)."""
    wanted = [pk for pk in order_pks if pk is not None]
    if not wanted:
        return {}
    rows = session.execute(select(Order.id, Order.order_id).where(Order.id.in_(wanted)))
    return {pk: external for pk, external in rows}


def orders_in_period(
    session: Session, member_pk: int, starts_on: date, ends_on: date, limit: int, offset: int
) -> tuple[list[tuple[Order, str | None, int, int, int, int]], int]:
    """The member's own orders and their retail customers' orders placed in
    [starts_on, ends_on), newest first: (order, customer name or None, amount, pv, bv,
    lines); and how many there are."""
    totals = _order_totals()
    mine = or_(Order.buyer_member_id == member_pk, Customer.member_id == member_pk)
    scope = (
        select(Order.id)
        .outerjoin(Customer, Customer.id == Order.buyer_customer_id)
        .where(mine, Order.placed_on >= starts_on, Order.placed_on < ends_on)
    )
    query = (
        select(
            Order,
            Customer.name,
            func.coalesce(totals.c.amount, 0),
            func.coalesce(totals.c.pv, 0),
            func.coalesce(totals.c.bv, 0),
            func.coalesce(totals.c.lines, 0),
        )
        .outerjoin(Customer, Customer.id == Order.buyer_customer_id)
        .outerjoin(totals, totals.c.order_pk == Order.id)
        .where(mine, Order.placed_on >= starts_on, Order.placed_on < ends_on)
        .order_by(Order.placed_on.desc(), Order.id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = [(o, c, int(a), int(p), int(b), int(n)) for o, c, a, p, b, n in session.execute(query)]
    total = session.scalar(select(func.count()).select_from(scope.subquery()))
    return rows, int(total or 0)

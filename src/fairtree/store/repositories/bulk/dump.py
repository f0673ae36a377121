"""Read whole tables back out in creation order, in chunks, for the dataset export.

Each query yields the columns of one dataset file, with internal ids turned back into
the external text ids. Rows come in chunks so memory stays flat on large networks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, desc, func, select
from sqlalchemy.orm import Session, aliased

from fairtree.store.database import driver_connection
from fairtree.store.models import (
    Company,
    Customer,
    Member,
    Order,
    OrderLine,
    Party,
    PlanVersion,
    Product,
)

CHUNK_ROWS = 200_000
Chunk = list[tuple[Any, ...]]


def company_row(session: Session) -> tuple[Any, ...] | None:
    row = session.execute(
        select(
            Company.company_id,
            Company.name,
            Company.currency,
            Company.country,
            Company.period_kind,
            Company.placement,
            Company.matrix_width,
            Company.binary_rule,
        ).order_by(Company.id)
    ).first()
    return tuple(row) if row else None


def latest_plan_text(session: Session) -> str | None:
    return session.scalar(
        select(PlanVersion.yaml_text)
        .order_by(desc(PlanVersion.effective_from), desc(PlanVersion.id))
        .limit(1)
    )


def _members_query() -> Select:  # type: ignore[type-arg]
    sponsor, parent = aliased(Member), aliased(Member)
    return (
        select(
            Member.member_id,
            sponsor.member_id,
            parent.member_id,
            Member.placement_position,
            Member.joined_on,
            Member.status,
            Member.status_since,
            Member.country,
            Member.currency,
            Member.display_name,
            Member.identity_verified,
        )
        .outerjoin(sponsor, sponsor.id == Member.sponsor_id)
        .outerjoin(parent, parent.id == Member.placement_parent_id)
        .order_by(Member.id)
    )


def _customers_query() -> Select:  # type: ignore[type-arg]
    return (
        select(
            Customer.customer_id,
            Member.member_id,
            Customer.name,
            Customer.country,
            Customer.created_on,
        )
        .join(Member, Member.id == Customer.member_id)
        .order_by(Customer.id)
    )


def _products_query() -> Select:  # type: ignore[type-arg]
    return select(
        Product.sku,
        Product.country,
        Product.name,
        Product.currency,
        Product.retail_price,
        Product.member_price,
        Product.pv,
        Product.bv,
        Product.commissionable,
        Product.category,
    ).order_by(Product.id)


def _orders_query() -> Select:  # type: ignore[type-arg]
    reversed_order = aliased(Order)
    return (
        select(
            Order.order_id,
            func.coalesce(Order.order_kind, Order.kind),
            Order.placed_on,
            Member.member_id,
            Customer.customer_id,
            Order.country,
            Order.currency,
            Party.party_id,
            reversed_order.order_id,
        )
        .outerjoin(Member, Member.id == Order.buyer_member_id)
        .outerjoin(Customer, Customer.id == Order.buyer_customer_id)
        .outerjoin(Party, Party.id == Order.party_id)
        .outerjoin(reversed_order, reversed_order.id == Order.returns_order_id)
        .order_by(Order.id)
    )


def _order_lines_query() -> Select:  # type: ignore[type-arg]
    return (
        select(
            Order.order_id,
            OrderLine.line_no,
            Product.sku,
            OrderLine.quantity,
            OrderLine.unit_price,
            OrderLine.pv,
            OrderLine.bv,
            Order.currency,
        )
        .join(Order, Order.id == OrderLine.order_id)
        .join(Product, Product.id == OrderLine.product_id)
        .order_by(OrderLine.id)
    )


def _parties_query() -> Select:  # type: ignore[type-arg]
    consultant, host_member = aliased(Member), aliased(Member)
    return (
        select(
            Party.party_id,
            consultant.member_id,
            Customer.customer_id,
            host_member.member_id,
            Party.held_on,
        )
        .join(consultant, consultant.id == Party.consultant_member_id)
        .outerjoin(Customer, Customer.id == Party.host_customer_id)
        .outerjoin(host_member, host_member.id == Party.host_member_id)
        .order_by(Party.id)
    )


QUERIES = {
    "members.csv": _members_query,
    "customers.csv": _customers_query,
    "products.csv": _products_query,
    "orders.csv": _orders_query,
    "order_lines.csv": _order_lines_query,
    "parties.csv": _parties_query,
}


MAIN_TABLES = {
    "members.csv": Member,
    "customers.csv": Customer,
    "products.csv": Product,
    "orders.csv": Order,
    "order_lines.csv": OrderLine,
    "parties.csv": Party,
}


def count_rows(session: Session, file: str) -> int:
    """How many rows ``file`` will have (for progress bars)."""
    model = MAIN_TABLES[file]
    return session.scalar(select(func.count()).select_from(model)) or 0


def chunks(session: Session, file: str) -> Iterator[Chunk]:
    """The rows of ``file`` in creation order, ``CHUNK_ROWS`` at a time.

    Runs the compiled query on the driver cursor (server-side on PostgreSQL): the ORM's
    per-row objects would cost more than the whole CSV encoding.
    """
    connection = session.connection()
    compiled = QUERIES[file]().compile(dialect=connection.dialect)
    driver = driver_connection(session)
    if connection.dialect.name == "postgresql":
        cursor = driver.cursor(name=f"fairtree_export_{file.split('.')[0]}")
        cursor.itersize = CHUNK_ROWS
    else:
        cursor = driver.cursor()
    try:
        assert not compiled.params, "export queries take no parameters"
        cursor.execute(str(compiled))
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield rows
    finally:
        cursor.close()

"""Single records with sensible defaults; every field can be overridden by keyword.

The builders return unsaved model objects (``member``, ``product``, ``customer``,
``order``, ``order_line``); the ``add_*`` functions add to a session and flush.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.store.models import (
    Company,
    Customer,
    Member,
    Order,
    OrderLine,
    PlanVersion,
    Product,
)
from fairtree.store.repositories.network import genealogy_history

JAN_1 = date(2026, 1, 1)


def company(
    placement: str = "none",
    binary_rule: str | None = None,
    matrix_width: int | None = None,
    **fields: Any,
) -> Company:
    """Acme, a monthly US company; ``binary_rule`` is kept only for a binary placement."""
    values: dict[str, Any] = {
        "company_id": "acme",
        "name": "Acme",
        "currency": "USD",
        "country": "US",
        "period_kind": "month",
        "placement": placement,
        "matrix_width": matrix_width,
        "binary_rule": binary_rule if placement == "binary" else None,
    }
    return Company(**(values | fields))


def add_company(
    session: Session,
    placement: str = "none",
    binary_rule: str | None = None,
    matrix_width: int | None = None,
    **fields: Any,
) -> Company:
    row = company(placement, binary_rule, matrix_width, **fields)
    session.add(row)
    session.flush()
    return row


def member(member_id: str, sponsor_pk: int | None = None, **fields: Any) -> Member:
    """An active US member who joined on 2026-01-01 and is shown by their id."""
    joined_on = fields.get("joined_on", JAN_1)
    values: dict[str, Any] = {
        "member_id": member_id,
        "sponsor_id": sponsor_pk,
        "joined_on": joined_on,
        "status": "active",
        "status_since": joined_on,
        "country": "US",
        "currency": "USD",
        "display_name": member_id,
        "identity_verified": False,
    }
    return Member(**(values | fields))


def add_member(
    session: Session,
    member_id: str,
    sponsor_pk: int | None = None,
    *,
    reason: str = "enroll",
    actor: str = "setup",
    **fields: Any,
) -> Member:
    """A member and their genealogy history from the day they joined."""
    row = member(member_id, sponsor_pk, **fields)
    session.add(row)
    session.flush()
    genealogy_history.record_changes(session, [row.id], row.joined_on, reason, actor)
    return row


def member_db_id(session: Session, member_id: str) -> int:
    """The primary key of the member with external id ``member_id``."""
    return session.scalars(select(Member.id).where(Member.member_id == member_id)).one()


def product(sku: str = "P", **fields: Any) -> Product:
    """A commissionable US product at 10.00 retail and 8.00 to members, no volume."""
    values: dict[str, Any] = {
        "sku": sku,
        "country": "US",
        "name": sku,
        "currency": "USD",
        "retail_price": 1000,
        "member_price": 800,
        "pv": 0,
        "bv": 0,
        "commissionable": True,
    }
    return Product(**(values | fields))


def customer(customer_id: str, owner_pk: int, **fields: Any) -> Customer:
    """A US retail customer of member ``owner_pk``, created 2026-02-01."""
    values: dict[str, Any] = {
        "customer_id": customer_id,
        "member_id": owner_pk,
        "name": f"Customer {customer_id}",
        "country": "US",
        "created_on": date(2026, 2, 1),
    }
    return Customer(**(values | fields))


def order(
    order_id: str,
    placed_on: date,
    buyer_pk: int | None = None,
    customer_pk: int | None = None,
    **fields: Any,
) -> Order:
    """A US order in USD by a member (``buyer_pk``) or a retail customer (``customer_pk``)."""
    values: dict[str, Any] = {
        "order_id": order_id,
        "kind": "order",
        "placed_on": placed_on,
        "buyer_member_id": buyer_pk,
        "buyer_customer_id": customer_pk,
        "country": "US",
        "currency": "USD",
    }
    return Order(**(values | fields))


def order_line(product_pk: int, pv: int, bv: int, **fields: Any) -> OrderLine:
    """Line 1: one unit at 8.00."""
    values: dict[str, Any] = {
        "line_no": 1,
        "product_id": product_pk,
        "quantity": 1,
        "unit_price": 800,
        "pv": pv,
        "bv": bv,
    }
    return OrderLine(**(values | fields))


def add_plan(
    session: Session,
    company_id: int,
    text: str,
    version: str,
    since: date,
    sha256: str | None = None,
) -> PlanVersion:
    """A plan version; its digest is that of ``text`` unless given."""
    row = PlanVersion(
        company_id=company_id,
        version=version,
        effective_from=since,
        yaml_text=text,
        sha256=sha256 or hashlib.sha256(text.encode()).hexdigest(),
    )
    session.add(row)
    session.flush()
    return row

"""A member's own records as the API shows them: profile, orders, customers.

Callers authorize first (``policy.authorize``); these functions only read, always
scoped by the owner, so another member's record id is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.periods import Period
from fairtree.store.models import Customer, Member
from fairtree.store.repositories.access import accounts as accounts_repo
from fairtree.store.repositories.member_data import own_orders as member_data
from fairtree.store.repositories.network import members as members_repo


@dataclass(frozen=True)
class Profile:
    member_id: str
    display_name: str
    status: str
    status_since: date
    joined_on: date
    country: str
    currency: str
    identity_verified: bool
    sponsor_id: str | None
    email: str | None


@dataclass(frozen=True)
class OrderSummary:
    order_id: str
    kind: str
    placed_on: date
    currency: str
    amount: int  # minor units; a return is positive here, ``kind`` says it reverses
    pv: int  # hundredths of a point
    bv: int
    lines: int
    returns_order_id: str | None


def sponsor_id(session: Session, owner: Member) -> str | None:
    """The external id of the owner's sponsor (None at the top of the tree)."""
    return members_repo.external_id(session, owner.sponsor_id) if owner.sponsor_id else None


def profile(session: Session, owner: Member) -> Profile:
    sponsor = sponsor_id(session, owner)
    user = accounts_repo.user_of_member(session, owner.id)
    return Profile(
        member_id=owner.member_id,
        display_name=owner.display_name,
        status=owner.status,
        status_since=owner.status_since,
        joined_on=owner.joined_on,
        country=owner.country,
        currency=owner.currency,
        identity_verified=owner.identity_verified,
        sponsor_id=sponsor,
        email=user.email if user else None,
    )


def orders(
    session: Session, owner: Member, limit: int, offset: int, order_id: str | None = None
) -> list[OrderSummary]:
    rows = member_data.orders_of_member(session, owner.id, limit, offset, order_id)
    reversed_ids = member_data.order_ids(session, [o.returns_order_id for o, *_ in rows])
    return [
        OrderSummary(
            order_id=o.order_id,
            kind=o.kind,
            placed_on=o.placed_on,
            currency=o.currency,
            amount=amount,
            pv=pv,
            bv=bv,
            lines=lines,
            returns_order_id=reversed_ids.get(o.returns_order_id) if o.returns_order_id else None,
        )
        for o, amount, pv, bv, lines in rows
    ]


def order(session: Session, owner: Member, order_id: str) -> OrderSummary:
    found = orders(session, owner, 1, 0, order_id)
    if not found:
        raise NotFoundError(f"no such order: {order_id}")
    return found[0]


def customers(
    session: Session, owner: Member, limit: int, offset: int, customer_id: str | None = None
) -> list[Customer]:
    return member_data.customers_of_member(session, owner.id, limit, offset, customer_id)


def customer(session: Session, owner: Member, customer_id: str) -> Customer:
    found = customers(session, owner, 1, 0, customer_id)
    if not found:
        raise NotFoundError(f"no such customer: {customer_id}")
    return found[0]


@dataclass(frozen=True)
class PeriodOrder:
    order: OrderSummary
    customer: str | None  # the retail customer's name; None for the member's own order


def orders_in_period(
    session: Session, owner: Member, period: Period, limit: int, offset: int
) -> tuple[list[PeriodOrder], int]:
    """Own orders and retail customers' orders placed in ``period``, newest first."""
    rows, total = member_data.orders_in_period(
        session, owner.id, period.start, period.end, limit, offset
    )
    reversed_ids = member_data.order_ids(session, [o.returns_order_id for o, *_ in rows])
    result = [
        PeriodOrder(
            OrderSummary(
                o.order_id,
                o.kind,
                o.placed_on,
                o.currency,
                amount,
                pv,
                bv,
                lines,
                reversed_ids.get(o.returns_order_id) if o.returns_order_id else None,
            ),
            customer,
        )
        for o, customer, amount, pv, bv, lines in rows
    ]
    return result, total

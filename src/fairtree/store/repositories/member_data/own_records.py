"""Queries for a member's own contacts, notes and goals, and the figures goals measure.

Every query is scoped by the owning member, so an id that belongs to someone else is
simply not found.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from fairtree.store.models import Contact, Customer, Goal, Note, Order, OrderLine


def contacts_of(
    session: Session,
    owner_pk: int,
    limit: int = 10_000,
    offset: int = 0,
    consent: str | None = None,
) -> list[Contact]:
    query = select(Contact).where(Contact.owner_member_id == owner_pk)
    if consent is not None:
        query = query.where(Contact.consent == consent)
    return list(
        session.scalars(query.order_by(Contact.name, Contact.id).limit(limit).offset(offset))
    )


def contact_of(session: Session, owner_pk: int, contact_id: int) -> Contact | None:
    return session.scalars(
        select(Contact).where(Contact.id == contact_id, Contact.owner_member_id == owner_pk)
    ).one_or_none()


def consent_counts(session: Session, owner_pk: int) -> dict[str, int]:
    """How many of the owner's contacts are in each consent state."""
    rows = session.execute(
        select(Contact.consent, func.count())
        .where(Contact.owner_member_id == owner_pk)
        .group_by(Contact.consent)
    )
    return {consent: int(n) for consent, n in rows}


def customer_of(session: Session, owner_pk: int, customer_id: str) -> Customer | None:
    return session.scalars(
        select(Customer).where(Customer.customer_id == customer_id, Customer.member_id == owner_pk)
    ).one_or_none()


def customer_external_ids(session: Session, customer_pks: list[int]) -> dict[int, str]:
    if not customer_pks:
        return {}
    rows = session.execute(
        select(Customer.id, Customer.customer_id).where(Customer.id.in_(customer_pks))
    )
    return {pk: external for pk, external in rows}


def notes_of(session: Session, owner_pk: int, limit: int = 10_000, offset: int = 0) -> list[Note]:
    return list(
        session.scalars(
            select(Note)
            .where(Note.owner_member_id == owner_pk)
            .order_by(Note.updated_at.desc(), Note.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def note_of(session: Session, owner_pk: int, note_id: int) -> Note | None:
    return session.scalars(
        select(Note).where(Note.id == note_id, Note.owner_member_id == owner_pk)
    ).one_or_none()


def goals_of(session: Session, owner_pk: int) -> list[Goal]:
    return list(
        session.scalars(
            select(Goal).where(Goal.owner_member_id == owner_pk).order_by(Goal.due_on, Goal.id)
        )
    )


def goal_of(session: Session, owner_pk: int, goal_id: int) -> Goal | None:
    return session.scalars(
        select(Goal).where(Goal.id == goal_id, Goal.owner_member_id == owner_pk)
    ).one_or_none()


def _signed(column):  # type: ignore[no-untyped-def]
    return case((Order.kind == "return", -1), else_=1) * column * OrderLine.quantity


def retail_sales(
    session: Session, member_pk: int, currency: str, starts_on: date, ends_on: date
) -> int:
    """What the member's retail customers paid in [starts_on, ends_on), in ``currency``
    minor units; returns subtract."""
    total = session.scalar(
        select(func.coalesce(func.sum(_signed(OrderLine.unit_price)), 0))
        .select_from(Order)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Customer, Customer.id == Order.buyer_customer_id)
        .where(
            Customer.member_id == member_pk,
            Order.currency == currency,
            Order.placed_on >= starts_on,
            Order.placed_on < ends_on,
        )
    )
    return int(total or 0)


def retail_customer_count(session: Session, member_pk: int, on: date) -> int:
    """Retail customers the member has on a day (created on or before it)."""
    total = session.scalar(
        select(func.count()).where(Customer.member_id == member_pk, Customer.created_on <= on)
    )
    return int(total or 0)


def notes_about_contact(session: Session, owner_pk: int, contact_pk: int) -> list[Note]:
    return list(
        session.scalars(
            select(Note).where(
                Note.owner_member_id == owner_pk, Note.about_contact_id == contact_pk
            )
        )
    )

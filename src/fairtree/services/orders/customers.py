"""Retail customers a member adds and edits themselves; they belong to that member alone.

Writes are the owner's only: the route authorizes a write (``authorization.decide``
allows it to the member themselves, never to an upline, a grantee or staff), and the
service finds the customer among the owner's own (any other id is "no such customer").
An edit is audited with the names of the fields it changed, never their values, so the
append-only audit log holds no personal data that closing the account must erase.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.store.models import Customer, Member
from fairtree.store.repositories.member_data import own_records


@dataclass(frozen=True)
class CustomerFields:
    """What the owner may set on a customer; None on update means "leave as is"."""

    name: str | None = None
    country: str | None = None


def _check(fields: CustomerFields, location: str, creating: bool) -> None:
    problems = []
    name = fields.name
    if (creating or name is not None) and (not (name or "").strip() or len(name or "") > 200):
        problems.append(Problem("customer", location, "name", "must be 1 to 200 characters"))
    country = fields.country
    if (creating or country is not None) and not (
        country and len(country) == 2 and country.isalpha() and country.isupper()
    ):
        problems.append(Problem("customer", location, "country", "must be a two-letter code"))
    if problems:
        raise ValidationError(problems)


def add_customer(session: Session, owner: Member, name: str, country: str, today: date) -> Customer:
    _check(CustomerFields(name, country), "new", creating=True)
    customer = Customer(
        customer_id=f"c{secrets.token_hex(8)}",  # random: ids reveal nothing about who added
        member_id=owner.id,
        name=name.strip(),
        country=country,
        created_on=today,
    )
    session.add(customer)
    session.flush()
    return customer


def own_customer(session: Session, owner: Member, customer_id: str) -> Customer:
    """One of the owner's customers, or "no such customer" (never another member's)."""
    customer = own_records.customer_of(session, owner.id, customer_id)
    if customer is None:
        raise NotFoundError(f"no such customer: {customer_id}")
    return customer


def update_customer(
    session: Session,
    actor: Principal,
    owner: Member,
    customer_id: str,
    fields: CustomerFields,
) -> Customer:
    """Change the owner's customer in full (name, country); audited with the changed
    field names. The caller has authorized a write of the owner's customers."""
    if actor.member_pk != owner.id:
        raise NotFoundError(f"no such customer: {customer_id}")  # owner only, whoever asks
    customer = own_customer(session, owner, customer_id)
    _check(fields, customer_id, creating=False)
    changed = []
    if fields.name is not None and fields.name.strip() != customer.name:
        customer.name = fields.name.strip()
        changed.append("name")
    if fields.country is not None and fields.country != customer.country:
        customer.country = fields.country
        changed.append("country")
    if changed:
        record_action(
            session,
            actor,
            action="customer_update",
            subject_kind="customer",
            subject_id=customer.customer_id,
            reason="changed by its owner",
            after={"fields": changed},
        )
    session.flush()
    return customer

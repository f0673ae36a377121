"""Retail customers a member adds themselves; they belong to that member alone."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import Problem, ValidationError
from fairtree.store.models import Customer, Member


def add_customer(session: Session, owner: Member, name: str, country: str, today: date) -> Customer:
    problems = []
    if not name.strip() or len(name) > 200:
        problems.append(Problem("customer", "new", "name", "must be 1 to 200 characters"))
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        problems.append(Problem("customer", "new", "country", "must be a two-letter code"))
    if problems:
        raise ValidationError(problems)
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

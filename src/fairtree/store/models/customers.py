"""Retail customers and contacts: each belongs to exactly one member, and to no one above."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fairtree.store.base import Base
from fairtree.store.models.members import Member

CONSENT_STATES = ("opted_in", "unknown", "do_not_contact")
RELATIONSHIP_MARKS = ("friend", "family")


class Customer(Base):
    """A retail customer: buys from a member, is not in the network."""

    __tablename__ = "customers"
    __table_args__ = (Index(None, "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    created_on: Mapped[date] = mapped_column(Date)

    owner: Mapped[Member] = relationship(lazy="raise")


class Contact(Base):
    """Someone a member knows; outreach needs ``consent == 'opted_in'``."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("consent IN ('opted_in', 'unknown', 'do_not_contact')", name="consent"),
        CheckConstraint(
            "relationship_mark IS NULL OR relationship_mark IN ('friend', 'family')",
            name="relationship_mark",
        ),
        Index(None, "owner_member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[str] = mapped_column(String(16), default="unknown")
    relationship_mark: Mapped[str | None] = mapped_column(String(8))
    created_on: Mapped[date] = mapped_column(Date)

    owner: Mapped[Member] = relationship(lazy="raise")

"""A member's private notes and goals: theirs alone, readable by others only through a
grant the member gave.

Goals are the member's own targets measured against their own data; there is no column
for who "assigned" a goal, because nobody can assign one to someone else.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base

GOAL_METRICS = ("personal_volume", "retail_customers", "retail_sales")


class Note(Base):
    """A private note, optionally about one of the owner's own customers or contacts."""

    __tablename__ = "notes"
    __table_args__ = (
        CheckConstraint(
            "about_customer_id IS NULL OR about_contact_id IS NULL", name="about_one_record"
        ),
        Index(None, "owner_member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    about_customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    about_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Goal(Base):
    """The member's own target for one metric of their own data, by a date.

    ``target`` is in the metric's unit: hundredths of a point (personal_volume), a count
    (retail_customers) or minor units of the member's currency (retail_sales).
    """

    __tablename__ = "goals"
    __table_args__ = (
        CheckConstraint(
            "metric IN ('personal_volume', 'retail_customers', 'retail_sales')", name="metric"
        ),
        CheckConstraint("target > 0", name="target_positive"),
        CheckConstraint("due_on >= starts_on", name="due_after_start"),
        Index(None, "owner_member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    title: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(24))
    target: Mapped[int] = mapped_column(BigInteger)
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

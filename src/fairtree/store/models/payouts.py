"""Payout batches: what is paid to whom, in which currency, at which rate snapshot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base

ITEM_STATUSES = ("pending", "held", "carried", "paid", "failed")


class PayoutBatch(Base):
    """One batch per company and period; ``rates_json`` copies the rates it converted at
    (the exchange-rate snapshot of the period's finalized run)."""

    __tablename__ = "payout_batches"
    __table_args__ = (UniqueConstraint("company_id", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    period_key: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    minimum_payout: Mapped[int] = mapped_column(BigInteger)
    rates_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class PayoutItem(Base):
    """A member's share of a batch: amount owed, converted amount, and what became of it."""

    __tablename__ = "payout_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "member_id"),
        CheckConstraint(
            "status IN ('pending', 'held', 'carried', 'paid', 'failed')", name="status"
        ),
        Index(None, "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payout_batches.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units of the batch currency
    payout_currency: Mapped[str] = mapped_column(String(3))
    payout_amount: Mapped[int] = mapped_column(BigInteger)  # minor units of payout_currency
    rate: Mapped[str] = mapped_column(String(40))  # Decimal string, batch -> payout currency
    status: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)


class PayoutHold(Base):
    """A reason not to pay a member (e.g. a dispute) until ``released_at`` is set."""

    __tablename__ = "payout_holds"
    __table_args__ = (Index(None, "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

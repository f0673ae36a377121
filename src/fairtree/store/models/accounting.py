"""The double-entry ledger: transactions of balanced entries, never edited.

Amounts are signed integers in minor units: a debit is positive, a credit negative, so
a transaction balances when its entries sum to zero. Balances are sums of entries.
"""

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
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base


class LedgerTransaction(Base):
    """A set of entries posted together; ``idempotency_key`` makes a repost impossible."""

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    kind: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("commission_runs.id"))
    payout_batch_id: Mapped[int | None] = mapped_column(ForeignKey("payout_batches.id"))
    memo: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class LedgerEntry(Base):
    """One leg of a transaction, with its provenance (bonus, member, source lines)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        Index(None, "transaction_id"),
        Index(None, "account", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"))
    account: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    amount: Mapped[int] = mapped_column(BigInteger)  # debit > 0, credit < 0
    currency: Mapped[str] = mapped_column(String(3))
    bonus_id: Mapped[str | None] = mapped_column(String(64))
    payout_line_id: Mapped[int | None] = mapped_column(ForeignKey("payout_lines.id"))
    payout_item_id: Mapped[int | None] = mapped_column(ForeignKey("payout_items.id"))
    source: Mapped[str | None] = mapped_column(Text)

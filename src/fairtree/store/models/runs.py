"""Commission runs, their payout lines, per-bonus totals and rank history.

A run is the evaluation of one company's period: a ``draft`` that may be replaced, or
``finalized`` and immutable. The database, not application code, holds both rules on
SQLite and PostgreSQL alike: a partial unique index allows at most one finalized run and
at most one draft per company and period, and triggers (revision ``0006_run_guards``)
refuse any change to a finalized run or to the rows written with it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base

RUN_STATUSES = ("draft", "finalized")
LINE_KINDS = ("commission", "adjustment")


class CommissionRun(Base):
    """One evaluation of a period; ``orders_count``/``orders_id_sum`` fingerprint its facts."""

    __tablename__ = "commission_runs"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'finalized')", name="status"),
        CheckConstraint(
            "(status = 'finalized') = (finalized_at IS NOT NULL)", name="finalized_at_set"
        ),
        Index(
            "uq_commission_runs_finalized",
            "company_id",
            "period_key",
            unique=True,
            sqlite_where=text("status = 'finalized'"),
            postgresql_where=text("status = 'finalized'"),
        ),
        Index(
            "uq_commission_runs_draft",
            "company_id",
            "period_key",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    period_key: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    plan_sha256: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    members_count: Mapped[int] = mapped_column(Integer)
    orders_count: Mapped[int] = mapped_column(Integer)
    orders_id_sum: Mapped[int] = mapped_column(BigInteger)
    orders_through_id: Mapped[int] = mapped_column(BigInteger)
    total_bv: Mapped[int] = mapped_column(BigInteger)  # hundredths of a point
    total_paid: Mapped[int] = mapped_column(BigInteger)  # minor units, commissions only
    total_adjustments: Mapped[int] = mapped_column(BigInteger)  # minor units
    lines_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RunBonusTotal(Base):
    """Pool, paid and breakage of one bonus in one run (paid + breakage = pool)."""

    __tablename__ = "run_bonus_totals"
    __table_args__ = (CheckConstraint("paid + breakage = pool", name="conserved"),)

    run_id: Mapped[int] = mapped_column(
        ForeignKey("commission_runs.id", ondelete="CASCADE"), primary_key=True
    )
    bonus_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    pool: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[int] = mapped_column(BigInteger)
    breakage: Mapped[int] = mapped_column(BigInteger)
    report_only: Mapped[bool] = mapped_column(Boolean, default=False)


class PayoutLine(Base):
    """What one member earns in one bonus of a run, or an adjustment to an earlier line.

    ``explanation_ref`` (``PERIOD/MEMBER/BONUS``) names the engine trace that derives a
    commission line; an adjustment points at the lines it corrects and says why.
    """

    __tablename__ = "payout_lines"
    __table_args__ = (
        CheckConstraint("kind IN ('commission', 'adjustment')", name="kind"),
        CheckConstraint(
            "kind = 'commission' OR (corrects_period_key IS NOT NULL AND reason IS NOT NULL)",
            name="adjustment_explained",
        ),
        Index(None, "run_id", "member_id"),
        Index(None, "member_id"),
        Index(None, "corrects_line_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("commission_runs.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    bonus_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(12), default="commission")
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units of the run currency
    explanation_ref: Mapped[str] = mapped_column(Text)
    corrects_line_id: Mapped[int | None] = mapped_column(ForeignKey("payout_lines.id"))
    corrects_period_key: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)


class RankRecord(Base):
    """Paid-as and highest-achieved rank of a member in a run's period (0 = no rank)."""

    __tablename__ = "rank_history"
    __table_args__ = (Index(None, "member_id", "period_key"),)

    run_id: Mapped[int] = mapped_column(
        ForeignKey("commission_runs.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(32))
    paid_as_rank: Mapped[int] = mapped_column(SmallInteger)
    highest_rank: Mapped[int] = mapped_column(SmallInteger)
    pv: Mapped[int] = mapped_column(BigInteger)
    group_volume: Mapped[int] = mapped_column(BigInteger)


class RunCarryValue(Base):
    """State a bonus kind hands to the next period (e.g. ``binary.left``), non-zero only."""

    __tablename__ = "run_carry_values"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("commission_runs.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class RunExchangeRate(Base):
    """The exchange-rate snapshot a run was finalized with: its payouts convert at it.

    ``rate`` is an exact Decimal string: units of ``currency`` per one unit of the run's
    currency. Written at finalize, immutable afterwards like the run itself.
    """

    __tablename__ = "run_exchange_rates"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("commission_runs.id", ondelete="CASCADE"), primary_key=True
    )
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[str] = mapped_column(String(40))
    captured_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )

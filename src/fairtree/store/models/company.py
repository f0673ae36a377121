"""Company settings, commission periods and dated plan versions.

A database holds one company's network; the ``companies`` row carries the settings
of company.csv, and periods and plan versions hang off it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fairtree.store.base import Base

PERIOD_KINDS = ("month", "week")
PLACEMENT_KINDS = ("none", "binary", "matrix")
BINARY_RULES = ("outer_left", "outer_right", "weaker_leg", "alternate")
PERIOD_STATUSES = ("open", "closed")


def _in(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({listed})"


class Company(Base):
    """One row: the settings of company.csv."""

    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint(_in("period_kind", PERIOD_KINDS), name="period_kind"),
        CheckConstraint(_in("placement", PLACEMENT_KINDS), name="placement"),
        CheckConstraint(
            "(placement = 'matrix' AND matrix_width > 0)"
            " OR (placement <> 'matrix' AND matrix_width IS NULL)",
            name="matrix_width",
        ),
        CheckConstraint(
            f"(placement = 'binary' AND {_in('binary_rule', BINARY_RULES)})"
            " OR (placement <> 'binary' AND binary_rule IS NULL)",
            name="binary_rule",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str] = mapped_column(String(2))
    period_kind: Mapped[str] = mapped_column(String(8))
    placement: Mapped[str] = mapped_column(String(8))
    matrix_width: Mapped[int | None] = mapped_column(Integer)
    binary_rule: Mapped[str | None] = mapped_column(String(16))
    # A second staff member approves a draft run before it may be finalized.
    finalize_needs_approval: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    periods: Mapped[list[Period]] = relationship(back_populates="company", lazy="raise")
    plan_versions: Mapped[list[PlanVersion]] = relationship(back_populates="company", lazy="raise")


class Period(Base):
    """A commission period [starts_on, ends_on) and whether it is still open."""

    __tablename__ = "periods"
    __table_args__ = (
        UniqueConstraint("company_id", "key"),
        CheckConstraint("kind IN ('month', 'week', 'custom')", name="kind"),
        CheckConstraint(_in("status", PERIOD_STATUSES), name="status"),
        CheckConstraint("ends_on > starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    key: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")

    company: Mapped[Company] = relationship(back_populates="periods", lazy="raise")


class PlanVersion(Base):
    """The plan text in force from ``effective_from``; its sha256 pins what was evaluated."""

    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("company_id", "version"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    version: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[date] = mapped_column(Date)
    yaml_text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )

    company: Mapped[Company] = relationship(back_populates="plan_versions", lazy="raise")

"""The audit log: who changed the network, why, and what it looked like before and after.

Every administrative change of the genealogy (a move, a termination) writes one row.
Rows are only ever inserted; ``before`` and ``after`` are JSON objects naming members by
their external ``member_id``, so the record stays readable without joins.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base


class AuditRecord(Base):
    """One administrative action on one subject record."""

    __tablename__ = "audit_log"
    __table_args__ = (
        CheckConstraint("length(reason) > 0", name="reason_given"),
        Index(None, "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    effective_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)

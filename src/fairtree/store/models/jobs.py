"""Background jobs (a close at scale, a what-if, a simulation) and run approvals.

A job row is the whole state a page needs to poll: queued -> running -> done or failed,
the stage it is in and how far along, and its JSON result or error. The row outlives
the request that asked for it, so a reload (or another staff member) sees the same job.

A run approval is a second person's consent to finalize one draft run. It names the
run by id without a foreign key: closing the period again replaces the draft (a new
id), which leaves the old approval pointing at nothing, as it should.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base

JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(Base):
    """One long task, run by a worker outside the request that submitted it."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        UniqueConstraint("requested_by_user_id", "submit_token"),
        Index(None, "status", "id"),
        Index(None, "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    requested_by_user_id: Mapped[int] = mapped_column(Integer)
    requested_by: Mapped[str] = mapped_column(String(64))  # login, as the audit log names it
    requested_role: Mapped[str] = mapped_column(String(16))
    submit_token: Mapped[str] = mapped_column(String(64))  # one job per submitted form
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stage: Mapped[str] = mapped_column(String(120), default="")
    done_units: Mapped[int] = mapped_column(BigInteger, default=0)
    total_units: Mapped[int | None] = mapped_column(BigInteger)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


class RunApproval(Base):
    """A staff member's approval of a draft run before someone else finalizes it."""

    __tablename__ = "run_approvals"
    __table_args__ = (UniqueConstraint("run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(BigInteger)
    period_key: Mapped[str] = mapped_column(String(32))
    approved_by_user_id: Mapped[int] = mapped_column(Integer)
    approved_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

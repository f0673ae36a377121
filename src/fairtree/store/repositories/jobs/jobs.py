"""Job rows: add, claim the oldest queued one, record progress and the outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fairtree.store.models import Job, RunApproval


def add_job(session: Session, job: Job) -> Job:
    session.add(job)
    session.flush()
    return job


def job_by_id(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def job_by_token(session: Session, user_id: int, token: str) -> Job | None:
    return session.scalars(
        select(Job).where(Job.requested_by_user_id == user_id, Job.submit_token == token)
    ).first()


def recent_jobs(session: Session, kind: str | None, limit: int) -> list[Job]:
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(Job.kind == kind)
    return list(session.scalars(query))


def claim_next(session: Session, kinds: list[str], now: datetime) -> int | None:
    """Mark the oldest queued job of ``kinds`` running; its id, or None. The conditional
    UPDATE makes the claim safe when several workers poll the same table."""
    while True:
        job_id = session.scalar(
            select(Job.id)
            .where(Job.status == "queued", Job.kind.in_(kinds))
            .order_by(Job.id)
            .limit(1)
        )
        if job_id is None:
            return None
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued")
            .values(status="running", started_at=now, stage="starting")
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            return int(job_id)


def set_progress(
    session: Session, job_id: int, stage: str, done_units: int, total_units: int | None
) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running")
        .values(stage=stage[:120], done_units=done_units, total_units=total_units)
    )


def finish(
    session: Session,
    job_id: int,
    now: datetime,
    *,
    result: dict[str, Any] | None,
    error: str | None,
) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(
            status="failed" if error is not None else "done",
            finished_at=now,
            result=result,
            error=error,
            stage="failed" if error is not None else "done",
        )
    )


def fail_running(session: Session, now: datetime, error: str) -> int:
    """Jobs left running by a worker that stopped: failed, so they can be submitted again."""
    changed = session.execute(
        update(Job)
        .where(Job.status == "running")
        .values(status="failed", finished_at=now, error=error, stage="failed")
    )
    return int(changed.rowcount)  # type: ignore[attr-defined]


def approval_of(session: Session, run_id: int) -> RunApproval | None:
    return session.scalars(select(RunApproval).where(RunApproval.run_id == run_id)).first()


def add_approval(session: Session, approval: RunApproval) -> RunApproval:
    session.add(approval)
    session.flush()
    return approval

"""Writing and reading the audit log (rows are inserted, never changed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.store.models import AuditRecord


def add_record(
    session: Session,
    *,
    effective_on: date,
    actor: str,
    actor_role: str,
    action: str,
    subject_kind: str,
    subject_id: str,
    reason: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> AuditRecord:
    record = AuditRecord(
        effective_on=effective_on,
        actor=actor,
        actor_role=actor_role,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        reason=reason,
        before=before,
        after=after,
    )
    session.add(record)
    session.flush()
    return record


def records_for(session: Session, subject_kind: str, subject_id: str) -> list[AuditRecord]:
    """Every audit record about one subject, oldest first."""
    query = (
        select(AuditRecord)
        .where(AuditRecord.subject_kind == subject_kind, AuditRecord.subject_id == subject_id)
        .order_by(AuditRecord.id)
    )
    return list(session.scalars(query))

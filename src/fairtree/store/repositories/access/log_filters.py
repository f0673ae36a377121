"""The audit and access logs filtered by actor, subject, action and dates (read-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.store.models import AccessLogEntry, AuditRecord, Member, User


def audit_filtered(
    session: Session, filters: dict[str, Any], limit: int, offset: int
) -> list[AuditRecord]:
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit).offset(offset)
    if filters.get("actor"):
        query = query.where(AuditRecord.actor == filters["actor"])
    if filters.get("action"):
        query = query.where(AuditRecord.action == filters["action"])
    if filters.get("subject"):
        query = query.where(AuditRecord.subject_id == filters["subject"])
    if filters.get("since"):
        query = query.where(AuditRecord.effective_on >= filters["since"])
    if filters.get("until"):
        query = query.where(AuditRecord.effective_on <= filters["until"])
    return list(session.scalars(query))


def audit_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditRecord.action).distinct().order_by(AuditRecord.action)))


def access_filtered(
    session: Session, filters: dict[str, Any], limit: int, offset: int
) -> list[tuple[AccessLogEntry, str, str]]:
    """Access-log rows newest first, with the reader's login and the owner's member id."""
    query = (
        select(AccessLogEntry, User.login, Member.member_id)
        .join(User, User.id == AccessLogEntry.reader_user_id)
        .join(Member, Member.id == AccessLogEntry.owner_member_id)
        .order_by(AccessLogEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if filters.get("actor"):
        query = query.where(User.login == filters["actor"])
    if filters.get("subject"):
        query = query.where(Member.member_id == filters["subject"])
    if filters.get("action"):
        query = query.where(AccessLogEntry.data_kind == filters["action"])
    if filters.get("since"):
        query = query.where(AccessLogEntry.read_at >= filters["since"])
    if filters.get("until"):
        query = query.where(AccessLogEntry.read_at < filters["until"])
    return [(e, login, member) for e, login, member in session.execute(query)]

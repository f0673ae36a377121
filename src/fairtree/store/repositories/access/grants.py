"""Queries for grants, the access log, the audit log and idempotency keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from fairtree.store.models import (
    AccessGrant,
    AccessLogEntry,
    AuditRecord,
    IdempotencyRecord,
    User,
)
from fairtree.store.repositories.int_arrays import int_array_text


def live_grants(
    session: Session, owner_member_pk: int, grantee_user_id: int, now: datetime
) -> list[AccessGrant]:
    """Grants from an owner to a grantee that are neither revoked nor expired at ``now``."""
    return list(
        session.scalars(
            select(AccessGrant).where(
                AccessGrant.owner_member_id == owner_member_pk,
                AccessGrant.grantee_user_id == grantee_user_id,
                AccessGrant.revoked_at.is_(None),
                AccessGrant.expires_at > now,
            )
        )
    )


def grants_of_owner(session: Session, owner_member_pk: int) -> list[tuple[AccessGrant, str]]:
    rows = session.execute(
        select(AccessGrant, User.login)
        .join(User, User.id == AccessGrant.grantee_user_id)
        .where(AccessGrant.owner_member_id == owner_member_pk)
        .order_by(AccessGrant.id)
    )
    return [(grant, login) for grant, login in rows]


def grant_of_owner(session: Session, owner_member_pk: int, grant_id: int) -> AccessGrant | None:
    return session.scalars(
        select(AccessGrant).where(
            AccessGrant.id == grant_id, AccessGrant.owner_member_id == owner_member_pk
        )
    ).one_or_none()


# PostgreSQL: the owners and records travel as two arrays (two bound values, whatever
# the count) and are unnested server side, instead of a VALUES row of six per read.
_PG_ADD_READS = text(
    """INSERT INTO access_log
           (reader_user_id, owner_member_id, data_kind, record, reason, read_at)
       SELECT :reader, read.owner, :kind, read.record, :reason, :read_at
       FROM unnest(CAST(:owners AS integer[]), CAST(:records AS varchar[]))
            AS read (owner, record)"""
)

_PG_ADD_READS_OF_ONE_RECORD = text(
    """INSERT INTO access_log
           (reader_user_id, owner_member_id, data_kind, record, reason, read_at)
       SELECT :reader, read.owner, :kind, :record, :reason, :read_at
       FROM unnest(CAST(:owners AS integer[])) AS read (owner)"""
)


def add_access_log(
    session: Session,
    reader_user_id: int,
    reads: Sequence[tuple[int, str]],
    kind: str,
    reason: str | None,
    read_at: datetime,
) -> None:
    """One access log row per (owner member pk, record) in ``reads``, all by one reader
    with one kind, reason and time, in one statement (a statement or a team view logs
    hundreds of reads at once)."""
    if not reads:
        return
    if session.get_bind().dialect.name == "postgresql":
        owners = int_array_text(owner for owner, _ in reads)
        records = {record for _, record in reads}
        values = {"owners": owners, "reader": reader_user_id}
        values |= {"kind": kind, "reason": reason, "read_at": read_at}
        if len(records) == 1:  # a statement's names: one record, bound once
            session.execute(_PG_ADD_READS_OF_ONE_RECORD, values | {"record": records.pop()})
            return
        session.execute(_PG_ADD_READS, values | {"records": [record for _, record in reads]})
        return
    common = {"reader_user_id": reader_user_id, "data_kind": kind, "reason": reason}
    rows = [{**common, "owner_member_id": o, "record": r, "read_at": read_at} for o, r in reads]
    session.execute(insert(AccessLogEntry), rows)


def access_log_of_owner(
    session: Session, owner_member_pk: int, limit: int, offset: int
) -> list[tuple[AccessLogEntry, str]]:
    rows = session.execute(
        select(AccessLogEntry, User.login)
        .join(User, User.id == AccessLogEntry.reader_user_id)
        .where(AccessLogEntry.owner_member_id == owner_member_pk)
        .order_by(AccessLogEntry.read_at.desc(), AccessLogEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(entry, login) for entry, login in rows]


def audit_records(
    session: Session, limit: int, offset: int, subject_id: str | None = None
) -> list[AuditRecord]:
    """The audit log newest first, optionally about one subject."""
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit).offset(offset)
    if subject_id is not None:
        query = query.where(AuditRecord.subject_id == subject_id)
    return list(session.scalars(query))


def idempotency_record(session: Session, user_id: int, key: str) -> IdempotencyRecord | None:
    return session.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    ).one_or_none()


def access_log_grouped(
    session: Session, owner_member_pk: int, limit: int, offset: int
) -> tuple[list[Any], int]:
    """(reader login, data kind, reads, first, last, reasons) per reader and kind, the most
    recent first; and how many such groups there are."""
    groups = (
        select(
            User.login,
            AccessLogEntry.data_kind,
            func.count(),
            func.min(AccessLogEntry.read_at),
            func.max(AccessLogEntry.read_at),
            func.count(AccessLogEntry.reason),
        )
        .join(User, User.id == AccessLogEntry.reader_user_id)
        .where(AccessLogEntry.owner_member_id == owner_member_pk)
        .group_by(User.login, AccessLogEntry.data_kind)
    )
    rows = session.execute(
        groups.order_by(func.max(AccessLogEntry.read_at).desc(), User.login)
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(groups.subquery()))
    return list(rows), int(total or 0)

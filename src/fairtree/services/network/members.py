"""Member look-ups for the back office (read-only; takes a session, never commits)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from fairtree.errors import ValidationError
from fairtree.services.access.access_log import log_reads
from fairtree.services.access.authorization import DataKind
from fairtree.services.access.principal import Principal
from fairtree.store.models import Member
from fairtree.store.models.members import MEMBER_STATUSES
from fairtree.store.repositories.network import members as repository

MAX_LIMIT = 10_000


@dataclass(frozen=True)
class MemberSummary:
    member_id: str
    display_name: str
    status: str
    joined_on: date
    sponsor_member_id: str | None
    country: str


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}")


def _check_status(status: str | None) -> None:
    if status is not None and status not in MEMBER_STATUSES:
        raise ValidationError(f"status must be one of {', '.join(MEMBER_STATUSES)}")


def _summaries(rows: Sequence[Row[Any]]) -> list[MemberSummary]:
    return [
        MemberSummary(
            member_id=row.member_id,
            display_name=row.display_name,
            status=row.status,
            joined_on=row.joined_on,
            sponsor_member_id=row.sponsor_member_id,
            country=row.country,
        )
        for row in rows
    ]


def sponsor_id_of(session: Session, member: Member) -> str | None:
    """The external id of the member's sponsor (None at the root)."""
    return repository.external_id(session, member.sponsor_id) if member.sponsor_id else None


def list_members(
    session: Session, status: str | None = None, limit: int = 50
) -> list[MemberSummary]:
    _check_limit(limit)
    _check_status(status)
    return _summaries(repository.list_members(session, status, limit))


def search_members(
    session: Session,
    reader: Principal | None,
    text: str | None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[MemberSummary]:
    """Members whose id or display name contains ``text`` (no text: every member).

    A sign-in's search is a read of every member it lists, so each one found is
    recorded in that member's access log (the reader's own row is not). ``reader`` None
    is the local operator at the command line, who holds the database itself and has
    no sign-in to record.
    """
    _check_limit(limit)
    _check_status(status)
    rows = repository.search_members(session, text, status, limit, offset)
    if reader is not None:
        log_reads(session, reader, [(row.pk, "search") for row in rows], DataKind.DIRECTORY, None)
    return _summaries(rows)

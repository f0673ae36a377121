"""Member look-ups for the back office (read-only; takes a session, never commits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import ValidationError
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


def list_members(
    session: Session, status: str | None = None, limit: int = 50
) -> list[MemberSummary]:
    _check_limit(limit)
    if status is not None and status not in MEMBER_STATUSES:
        raise ValidationError(f"status must be one of {', '.join(MEMBER_STATUSES)}")
    return [
        MemberSummary(**row._asdict()) for row in repository.list_members(session, status, limit)
    ]


def search_members(session: Session, text: str, limit: int = 50) -> list[MemberSummary]:
    _check_limit(limit)
    if not text.strip():
        raise ValidationError("search text is empty")
    rows = repository.search_members(session, text.strip(), limit)
    return [MemberSummary(**row._asdict()) for row in rows]

"""The access log: every read of a member's data by someone other than that member."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.store.models import AccessLogEntry
from fairtree.store.repositories.access import grants as access_repo


def log_reads(
    session: Session,
    reader: Principal,
    owners_and_records: Sequence[tuple[int, str]],
    kind: str,
    reason: str | None,
) -> None:
    """One row per (owner, record) read, all stamped with the same time."""
    reads = [
        (int(owner_pk), record[:128])
        for owner_pk, record in owners_and_records
        if owner_pk != reader.member_pk
    ]
    access_repo.add_access_log(session, reader.user_id, reads, str(kind), reason, utcnow())


def reads_of(
    session: Session, owner_member_pk: int, limit: int, offset: int
) -> list[tuple[AccessLogEntry, str]]:
    """Who read the owner's data, newest first, with the reader's login."""
    return access_repo.access_log_of_owner(session, owner_member_pk, limit, offset)


@dataclass(frozen=True)
class ReadGroup:
    """All reads of one kind of the owner's data by one reader."""

    reader: str
    kind: str
    reads: int
    first: datetime
    last: datetime
    with_reason: int  # staff reads carry a stated reason


def reads_grouped(
    session: Session, owner_member_pk: int, limit: int, offset: int
) -> tuple[list[ReadGroup], int]:
    """Who read the owner's data, one line per reader and kind (an upline opening the
    team pages ten times is one line with ten reads), most recent first."""
    rows, total = access_repo.access_log_grouped(session, owner_member_pk, limit, offset)
    return [ReadGroup(str(r[0]), str(r[1]), int(r[2]), r[3], r[4], int(r[5])) for r in rows], total

"""Queries about members: who an external id names, listing and searching the network.

``member_by_external_id`` is the one lookup of a member by the id the company gave it;
``external_ids`` goes the other way, from database ids to those ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Select, func, select, text
from sqlalchemy.orm import Session, aliased

from fairtree.store.models import Member

CHUNK = 5000


def member_by_external_id(session: Session, member_id: str) -> Member | None:
    """The member whose external ``member_id`` this is, or None."""
    return session.scalars(select(Member).where(Member.member_id == member_id)).one_or_none()


def external_id(session: Session, member_pk: int) -> str | None:
    """External ``member_id`` of one database id (None when there is no such member)."""
    return session.scalar(select(Member.member_id).where(Member.id == member_pk))


def external_ids(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """External ``member_id`` of each database id given (None entries are skipped)."""
    wanted = sorted({int(i) for i in ids if i is not None})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = session.execute(select(Member.id, Member.member_id).where(Member.id.in_(chunk)))
        found.update({int(row.id): str(row.member_id) for row in rows})
    return found


def names_by_external_id(session: Session, member_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """member id -> (primary key, display name) of the members that exist. On PostgreSQL
    the ids travel as one array joined server side (an explanation can name most of a
    large company); elsewhere in batches under the drivers' parameter limits."""
    wanted = sorted(set(member_ids))
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(_PG_NAMES, {"ids": wanted})
        return {mid: (pk, name) for mid, pk, name in rows}
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), NAME_BATCH):
        rows = session.execute(
            select(Member.member_id, Member.id, Member.display_name).where(
                Member.member_id.in_(wanted[start : start + NAME_BATCH])
            )
        )
        found.update({str(mid): (int(pk), str(name)) for mid, pk, name in rows})
    return found


_PG_NAMES = text(
    """SELECT m.member_id, m.id, m.display_name
       FROM unnest(CAST(:ids AS varchar[])) AS named (member_id)
       JOIN members m ON m.member_id = named.member_id"""
)
NAME_BATCH = 10_000


def _summary_query() -> Select:  # type: ignore[type-arg]
    sponsor = aliased(Member)
    return select(
        Member.id.label("pk"),
        Member.member_id,
        Member.display_name,
        Member.status,
        Member.joined_on,
        sponsor.member_id.label("sponsor_member_id"),
        Member.country,
    ).outerjoin(sponsor, sponsor.id == Member.sponsor_id)


def list_members(session: Session, status: str | None, limit: int) -> Sequence[Row[Any]]:
    """Members in the order they joined the store, optionally of one status."""
    query = _summary_query()
    if status is not None:
        query = query.where(Member.status == status)
    return session.execute(query.order_by(Member.id).limit(limit)).all()


def search_members(
    session: Session, text: str | None, status: str | None, limit: int, offset: int = 0
) -> Sequence[Row[Any]]:
    """Members whose id or display name contains ``text`` (case-insensitive; no text:
    every member), optionally of one status, in the order they joined the store."""
    query = _summary_query()
    if text:
        # The pattern is built here, not in SQL, so PostgreSQL plans with it and can use
        # the trigram indexes on lower(member_id) and lower(display_name) (migration 0014).
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            func.lower(Member.member_id).like(pattern, escape="\\")
            | func.lower(Member.display_name).like(pattern, escape="\\")
        )
    if status:
        query = query.where(Member.status == status)
    return session.execute(query.order_by(Member.id).limit(limit).offset(offset)).all()


def member_by_pk(session: Session, member_pk: int) -> Member | None:
    """The member with this database id, or None."""
    return session.get(Member, member_pk)

"""Queries about members: listing and searching the network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, or_, select
from sqlalchemy.orm import Session, aliased

from fairtree.store.models import Member


def _summary_query() -> Select:  # type: ignore[type-arg]
    sponsor = aliased(Member)
    return select(
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


def search_members(session: Session, text: str, limit: int) -> Sequence[Row[Any]]:
    """Members whose id or display name contains ``text`` (case-insensitive)."""
    query = _summary_query().where(
        or_(
            Member.member_id.icontains(text, autoescape=True),
            Member.display_name.icontains(text, autoescape=True),
        )
    )
    return session.execute(query.order_by(Member.id).limit(limit)).all()


def get_by_member_id(session: Session, member_id: str) -> Member | None:
    return session.scalars(select(Member).where(Member.member_id == member_id)).one_or_none()

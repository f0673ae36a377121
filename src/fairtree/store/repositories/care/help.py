"""Queries for mentoring offers, help requests and their messages, and the figures the
care metrics are computed from."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fairtree.store.models import HelpMessage, HelpRequest, Member, MentoringOffer


def live_offer(session: Session, member_pk: int) -> MentoringOffer | None:
    return session.scalars(
        select(MentoringOffer).where(
            MentoringOffer.member_id == member_pk, MentoringOffer.withdrawn_at.is_(None)
        )
    ).one_or_none()


def live_offers(session: Session) -> list[tuple[MentoringOffer, Member]]:
    rows = session.execute(
        select(MentoringOffer, Member)
        .join(Member, Member.id == MentoringOffer.member_id)
        .where(MentoringOffer.withdrawn_at.is_(None), Member.status != "closed")
        .order_by(Member.display_name, Member.id)
    )
    return [(offer, member) for offer, member in rows]


def request_by_id(session: Session, request_id: int) -> HelpRequest | None:
    return session.get(HelpRequest, request_id)


def requests_for(
    session: Session, member_pk: int | None, company: bool, limit: int, offset: int
) -> list[HelpRequest]:
    """Requests the member asked or was asked; with ``company`` also those to the company."""
    conditions = []
    if member_pk is not None:
        conditions += [
            HelpRequest.asker_member_id == member_pk,
            HelpRequest.helper_member_id == member_pk,
        ]
    if company:
        conditions.append(HelpRequest.helper_kind == "company")
    if not conditions:
        return []
    return list(
        session.scalars(
            select(HelpRequest)
            .where(or_(*conditions))
            .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def requests_asked_by(session: Session, member_pk: int) -> list[HelpRequest]:
    return list(
        session.scalars(
            select(HelpRequest)
            .where(HelpRequest.asker_member_id == member_pk)
            .order_by(HelpRequest.id)
        )
    )


def messages_of(session: Session, request_ids: list[int]) -> list[HelpMessage]:
    if not request_ids:
        return []
    return list(
        session.scalars(
            select(HelpMessage)
            .where(HelpMessage.request_id.in_(request_ids))
            .order_by(HelpMessage.request_id, HelpMessage.id)
        )
    )


def answer_times(session: Session, helper_pk: int) -> tuple[list[float], int]:
    """(seconds to first answer of each answered request to the helper, unanswered count)."""
    rows = session.execute(
        select(HelpRequest.created_at, HelpRequest.first_answered_at, HelpRequest.state).where(
            HelpRequest.helper_member_id == helper_pk, HelpRequest.state != "withdrawn"
        )
    ).all()
    seconds = [(answered - asked).total_seconds() for asked, answered, _ in rows if answered]
    unanswered = sum(1 for _, answered, _ in rows if answered is None)
    return seconds, unanswered


def sponsored_members(session: Session, sponsor_pk: int) -> dict[str, np.ndarray]:
    """Joined date, status and status date of everyone the member personally sponsored."""
    rows = session.execute(
        select(Member.joined_on, Member.status, Member.status_since).where(
            Member.sponsor_id == sponsor_pk
        )
    ).all()
    return {
        "joined_on": np.array([r[0] for r in rows], dtype="datetime64[D]"),
        "active": np.array([r[1] == "active" for r in rows], dtype=bool),
        "status_since": np.array([r[2] for r in rows], dtype="datetime64[D]"),
    }


def member_dates(session: Session, member_pk: int) -> tuple[date, str] | None:
    row = session.execute(
        select(Member.joined_on, Member.status).where(Member.id == member_pk)
    ).one_or_none()
    return (row[0], row[1]) if row else None

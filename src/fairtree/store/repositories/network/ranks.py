"""Rank history queries."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from fairtree.store.models import CommissionRun, Member, PayoutLine, RankRecord
from fairtree.store.repositories.network.members import member_by_external_id


def member_rank_rows(session: Session, member_id: str, include_drafts: bool) -> list[Any] | None:
    """Rank rows of one member in period order; None when the member does not exist."""
    member = member_by_external_id(session, member_id)
    if member is None:
        return None
    db_id = member.id
    statuses = ("finalized", "draft") if include_drafts else ("finalized",)
    return list(
        session.execute(
            select(
                RankRecord.period_key,
                RankRecord.paid_as_rank,
                RankRecord.highest_rank,
                RankRecord.pv,
                RankRecord.group_volume,
                CommissionRun.plan_version_id,
            )
            .join(CommissionRun, CommissionRun.id == RankRecord.run_id)
            .where(RankRecord.member_id == db_id, CommissionRun.status.in_(statuses))
            .order_by(CommissionRun.starts_on)
        )
    )


def period_paid_as(
    session: Session, period_key: str, member_pks: list[int]
) -> tuple[int | None, dict[int, int]]:
    """Plan version and paid-as rank numbers of ``member_pks`` in the period's run.

    The finalized run when there is one, else the draft; ``(None, {})`` without a run.
    """
    run = session.execute(
        select(CommissionRun.id, CommissionRun.plan_version_id)
        .where(CommissionRun.period_key == period_key)
        .order_by(CommissionRun.status != "finalized", CommissionRun.id.desc())
        .limit(1)
    ).first()
    if run is None or not member_pks:
        return (None if run is None else run.plan_version_id), {}
    rows = session.execute(
        select(RankRecord.member_id, RankRecord.paid_as_rank).where(
            RankRecord.run_id == run.id, RankRecord.member_id.in_(member_pks)
        )
    )
    return run.plan_version_id, {int(pk): int(rank) for pk, rank in rows if rank}


def held_paid_as(
    session: Session, before: date, member_pks: list[int]
) -> tuple[int | None, dict[int, int]]:
    """Plan version and paid-as rank numbers of ``member_pks`` in the latest finalized
    run of a period that starts before ``before``; ``(None, {})`` without one."""
    run = session.execute(
        select(CommissionRun.id, CommissionRun.plan_version_id)
        .where(CommissionRun.status == "finalized", CommissionRun.starts_on < before)
        .order_by(CommissionRun.starts_on.desc())
        .limit(1)
    ).first()
    if run is None or not member_pks:
        return (None if run is None else run.plan_version_id), {}
    rows = session.execute(
        select(RankRecord.member_id, RankRecord.paid_as_rank).where(
            RankRecord.run_id == run.id, RankRecord.member_id.in_(member_pks)
        )
    )
    return run.plan_version_id, {int(pk): int(rank) for pk, rank in rows if rank}


def track_records(session: Session, above_rank: int, limit: int) -> list[tuple[str, int, int]]:
    """(member id, finalized months paid above ``above_rank``, months with pay) of the
    members with the longest such record, best first (ties: most months with pay)."""
    pay = (
        select(PayoutLine.run_id, PayoutLine.member_id, func.sum(PayoutLine.amount).label("paid"))
        .group_by(PayoutLine.run_id, PayoutLine.member_id)
        .subquery("pay")
    )
    ranked = func.sum(case((RankRecord.paid_as_rank > above_rank, 1), else_=0))
    earned = func.sum(case((pay.c.paid > 0, 1), else_=0))
    query = (
        select(Member.member_id, ranked, earned)
        .select_from(RankRecord)
        .join(CommissionRun, CommissionRun.id == RankRecord.run_id)
        .join(Member, Member.id == RankRecord.member_id)
        .outerjoin(
            pay, (pay.c.run_id == RankRecord.run_id) & (pay.c.member_id == RankRecord.member_id)
        )
        .where(CommissionRun.status == "finalized")
        .group_by(Member.member_id)
        .order_by(ranked.desc(), earned.desc(), Member.member_id)
        .limit(limit)
    )
    return [(str(m), int(r), int(e)) for m, r, e in session.execute(query)]

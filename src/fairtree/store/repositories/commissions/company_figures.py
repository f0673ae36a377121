"""Company-wide figures for the operator console's home page (read-only)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from fairtree.store.models import (
    CommissionRun,
    HelpRequest,
    Member,
    Order,
)


def member_counts(session: Session, starts_on: date, ends_on: date) -> dict[str, int]:
    """Members by status now, and those who joined or left in [starts_on, ends_on)."""
    left = Member.status.in_(("terminated", "closed"))
    row = session.execute(
        select(
            func.count(),
            func.sum(case((Member.status == "active", 1), else_=0)),
            func.sum(
                case(((Member.joined_on >= starts_on) & (Member.joined_on < ends_on), 1), else_=0)
            ),
            func.sum(
                case(
                    (
                        left & (Member.status_since >= starts_on) & (Member.status_since < ends_on),
                        1,
                    ),
                    else_=0,
                )
            ),
        ).select_from(Member)
    ).one()
    return {"all": int(row[0] or 0), "active": int(row[1] or 0), "new": int(row[2] or 0),
            "left": int(row[3] or 0)}  # fmt: skip


def order_totals(session: Session, starts_on: date, ends_on: date) -> dict[str, int]:
    """PV, BV (hundredths) and sales (minor units) of orders counted in the range."""
    row = session.execute(
        select(
            func.sum(Order.total_pv),
            func.sum(Order.total_bv),
            func.sum(Order.total_sales + Order.total_other_sales),
        ).where(Order.counts_on >= starts_on, Order.counts_on < ends_on)
    ).one()
    return {"pv": int(row[0] or 0), "bv": int(row[1] or 0), "sales": int(row[2] or 0)}


def recent_runs(session: Session, company_pk: int, limit: int) -> list[CommissionRun]:
    """The latest runs (finalized and draft), newest period first."""
    return list(
        session.scalars(
            select(CommissionRun)
            .where(CommissionRun.company_id == company_pk)
            .order_by(CommissionRun.starts_on.desc(), CommissionRun.status)
            .limit(limit)
        )
    )


def sales_by_period(session: Session, ranges: list[tuple[date, date]]) -> list[int]:
    return [order_totals(session, start, end)["sales"] for start, end in ranges]


def open_company_help(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(HelpRequest)
            .where(HelpRequest.helper_kind == "company", HelpRequest.state == "open")
        )
        or 0
    )


def company_help_times(session: Session) -> list[tuple[datetime, datetime | None]]:
    """(asked, first answered) of every request to the company."""
    rows = session.execute(
        select(HelpRequest.created_at, HelpRequest.first_answered_at).where(
            HelpRequest.helper_kind == "company"
        )
    )
    return [(r[0], r[1]) for r in rows]


def payout_item_totals(session: Session, batch_id: int | None = None) -> dict[str, int]:
    """Sum of item amounts (batch currency) by status, of one batch or of all."""
    from fairtree.store.models import PayoutItem

    query = select(PayoutItem.status, func.sum(PayoutItem.amount)).group_by(PayoutItem.status)
    if batch_id is not None:
        query = query.where(PayoutItem.batch_id == batch_id)
    return {status: int(total or 0) for status, total in session.execute(query)}

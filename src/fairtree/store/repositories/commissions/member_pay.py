"""One member's pay across periods: run totals, ledger balances, payout items.

Every query is keyed by the member's row id and touches that member's rows only (the
``payout_lines(member_id)`` and ``ledger_entries`` indexes), never a whole period.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from fairtree.store.models import (
    CommissionRun,
    LedgerEntry,
    LedgerTransaction,
    PayoutBatch,
    PayoutItem,
    PayoutLine,
)


def run_totals(
    session: Session, member_pk: int, statuses: tuple[str, ...], limit: int, offset: int
) -> list[Any]:
    """(period_key, status, currency, starts_on, ends_on, total, lines) of runs, newest first;
    a run without lines for the member has total 0 and lines 0."""
    amount = func.coalesce(func.sum(PayoutLine.amount), 0)
    query = (
        select(
            CommissionRun.period_key,
            CommissionRun.status,
            CommissionRun.currency,
            CommissionRun.starts_on,
            CommissionRun.ends_on,
            amount,
            func.count(PayoutLine.id),
        )
        .outerjoin(
            PayoutLine,
            and_(PayoutLine.run_id == CommissionRun.id, PayoutLine.member_id == member_pk),
        )
        .where(CommissionRun.status.in_(statuses))
        .group_by(CommissionRun.id)
        .order_by(CommissionRun.starts_on.desc(), CommissionRun.status.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.execute(query))


def run_count(session: Session, statuses: tuple[str, ...]) -> int:
    query = select(func.count()).select_from(CommissionRun)
    return int(session.scalar(query.where(CommissionRun.status.in_(statuses))) or 0)


def balances(session: Session, member_pk: int) -> list[tuple[str, str, int]]:
    """(account, currency, balance) of the member's ledger accounts."""
    rows = session.execute(
        select(LedgerEntry.account, LedgerEntry.currency, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.member_id == member_pk)
        .group_by(LedgerEntry.account, LedgerEntry.currency)
    )
    return [(str(a), str(c), int(t)) for a, c, t in rows]


def open_payout_items(session: Session, member_pk: int) -> list[Any]:
    """(period_key, amount, batch currency, payout_amount, payout_currency, status) of the
    member's payout items not yet paid, newest batch first."""
    return list(
        session.execute(
            select(
                PayoutBatch.period_key,
                PayoutItem.amount,
                PayoutBatch.currency,
                PayoutItem.payout_amount,
                PayoutItem.payout_currency,
                PayoutItem.status,
            )
            .join(PayoutBatch, PayoutBatch.id == PayoutItem.batch_id)
            .where(PayoutItem.member_id == member_pk, PayoutItem.status.in_(("pending", "held")))
            .order_by(PayoutBatch.id.desc())
        )
    )


def payout_lines_of(session: Session, member_pk: int) -> list[Any]:
    """(period_key, run status, currency, bonus_id, kind, amount, corrects_period_key,
    reason) of every stored pay line of the member, oldest period first."""
    return list(
        session.execute(
            select(
                CommissionRun.period_key,
                CommissionRun.status,
                CommissionRun.currency,
                PayoutLine.bonus_id,
                PayoutLine.kind,
                PayoutLine.amount,
                PayoutLine.corrects_period_key,
                PayoutLine.reason,
            )
            .join(CommissionRun, CommissionRun.id == PayoutLine.run_id)
            .where(PayoutLine.member_id == member_pk)
            .order_by(CommissionRun.starts_on, PayoutLine.id)
        )
    )


def ledger_lines_of(session: Session, member_pk: int) -> list[Any]:
    """(posted_at, transaction kind, memo, account, amount, currency, bonus_id) of every
    ledger entry on the member's accounts, in posting order."""
    return list(
        session.execute(
            select(
                LedgerTransaction.posted_at,
                LedgerTransaction.kind,
                LedgerTransaction.memo,
                LedgerEntry.account,
                LedgerEntry.amount,
                LedgerEntry.currency,
                LedgerEntry.bonus_id,
            )
            .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
            .where(LedgerEntry.member_id == member_pk)
            .order_by(LedgerEntry.id)
        )
    )

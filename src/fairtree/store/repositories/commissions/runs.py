"""Commission runs: find, write (set-based) and read back runs, lines and rank history.

Every function runs inside the caller's transaction and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, delete, desc, func, literal, select, union_all, update
from sqlalchemy.orm import Session

from fairtree.dataset.arrays import Rows
from fairtree.store.models import (
    CommissionRun,
    Member,
    Order,
    PayoutLine,
    PlanVersion,
    RankRecord,
    RunBonusTotal,
    RunCarryValue,
    RunExchangeRate,
)
from fairtree.store.repositories.bulk.engine_arrays import read_columns
from fairtree.store.repositories.bulk.load import insert_rows


def plan_in_force(session: Session, company_id: int, day: date) -> PlanVersion | None:
    """The plan version with the latest ``effective_from`` on or before ``day``."""
    return session.scalar(
        select(PlanVersion)
        .where(PlanVersion.company_id == company_id, PlanVersion.effective_from <= day)
        .order_by(desc(PlanVersion.effective_from), desc(PlanVersion.id))
        .limit(1)
    )


def find_run(
    session: Session, company_id: int, period_key: str, status: str, lock: bool = False
) -> CommissionRun | None:
    query = select(CommissionRun).where(
        CommissionRun.company_id == company_id,
        CommissionRun.period_key == period_key,
        CommissionRun.status == status,
    )
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def finalized_runs(session: Session, company_id: int, before: date | None = None) -> list[Any]:
    """Finalized runs in period order (those starting before ``before`` when given)."""
    query = select(CommissionRun).where(
        CommissionRun.company_id == company_id, CommissionRun.status == "finalized"
    )
    if before is not None:
        query = query.where(CommissionRun.starts_on < before)
    return list(session.scalars(query.order_by(CommissionRun.starts_on)))


def max_order_id(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Order.id), 0))) or 0)


def delete_run(session: Session, run_id: int) -> None:
    """Remove a draft run and everything written with it."""
    session.execute(delete(RankRecord).where(RankRecord.run_id == run_id))
    session.execute(delete(RunCarryValue).where(RunCarryValue.run_id == run_id))
    session.execute(delete(RunBonusTotal).where(RunBonusTotal.run_id == run_id))
    session.execute(delete(RunExchangeRate).where(RunExchangeRate.run_id == run_id))
    session.execute(delete(PayoutLine).where(PayoutLine.run_id == run_id))
    session.execute(delete(CommissionRun).where(CommissionRun.id == run_id))


def insert_lines(session: Session, run_id: int, columns: dict[str, np.ndarray]) -> None:
    """Insert payout lines given as columns (member_id, bonus_id, kind, amount, ...)."""
    size = len(next(iter(columns.values())))
    if size == 0:
        return
    rows = Rows("payout_lines", {"run_id": np.full(size, run_id, dtype=np.int64), **columns})
    insert_rows(session, rows)


def insert_rank_history(
    session: Session,
    run_id: int,
    period_key: str,
    member_db_ids: np.ndarray,
    paid_as: np.ndarray,
    highest: np.ndarray,
    pv: np.ndarray,
    group_volume: np.ndarray,
) -> None:
    size = member_db_ids.shape[0]
    if size == 0:
        return
    rows = Rows(
        "rank_history",
        {
            "run_id": np.full(size, run_id, dtype=np.int64),
            "member_id": member_db_ids.astype(np.int64),
            "period_key": np.full(size, period_key, dtype=object),
            "paid_as_rank": paid_as.astype(np.int64),
            "highest_rank": highest.astype(np.int64),
            "pv": pv.astype(np.int64),
            "group_volume": group_volume.astype(np.int64),
        },
    )
    insert_rows(session, rows)


def add_bonus_totals(session: Session, run_id: int, totals: list[dict[str, Any]]) -> None:
    for total in totals:
        session.add(RunBonusTotal(run_id=run_id, **total))


def bonus_totals(session: Session, run_id: int) -> list[RunBonusTotal]:
    return list(session.scalars(select(RunBonusTotal).where(RunBonusTotal.run_id == run_id)))


def line_rows(session: Session, run_id: int, member_db_id: int | None = None) -> list[Any]:
    """(id, member db id, member id, bonus, kind, amount, ref, corrects, period, reason),
    of every member or of one."""
    query = select(
        PayoutLine.id,
        PayoutLine.member_id,
        Member.member_id,
        PayoutLine.bonus_id,
        PayoutLine.kind,
        PayoutLine.amount,
        PayoutLine.explanation_ref,
        PayoutLine.corrects_line_id,
        PayoutLine.corrects_period_key,
        PayoutLine.reason,
    ).join(Member, Member.id == PayoutLine.member_id)
    query = query.where(PayoutLine.run_id == run_id)
    if member_db_id is not None:
        query = query.where(PayoutLine.member_id == member_db_id)
    return list(session.execute(query.order_by(PayoutLine.id)))


def member_totals(session: Session, run_id: int) -> dict[int, int]:
    """Total of every member's lines in a run (commissions and adjustments)."""
    rows = session.execute(
        select(PayoutLine.member_id, func.sum(PayoutLine.amount))
        .where(PayoutLine.run_id == run_id)
        .group_by(PayoutLine.member_id)
    )
    return {int(member): int(total) for member, total in rows}


def largest_changes(
    session: Session, run_id: int, previous_run_id: int | None, limit: int
) -> list[tuple[str, int, int]]:
    """(member id, total in the previous run, total in this run) of the ``limit`` members
    whose totals changed most, largest change first (then by member id), summed in SQL."""
    lines = [
        select(
            PayoutLine.member_id.label("member_pk"),
            PayoutLine.amount.label("current"),
            literal(0, BigInteger).label("previous"),
        ).where(PayoutLine.run_id == run_id)
    ]
    if previous_run_id is not None:
        lines.append(
            select(
                PayoutLine.member_id,
                literal(0, BigInteger),
                PayoutLine.amount,
            ).where(PayoutLine.run_id == previous_run_id)
        )
    both = union_all(*lines).subquery("both_runs")
    totals = (
        select(
            both.c.member_pk,
            func.sum(both.c.current).label("current"),
            func.sum(both.c.previous).label("previous"),
        )
        .group_by(both.c.member_pk)
        .cte("totals")
    )
    change = func.abs(totals.c.current - totals.c.previous)
    # The limit-th largest change: only members at or above it are joined to their ids
    # (ties at the cut are broken by member id, as in the full order).
    cut = (
        select(change).where(change != 0).order_by(change.desc()).offset(limit - 1).limit(1)
    ).scalar_subquery()
    rows = session.execute(
        select(Member.member_id, totals.c.previous, totals.c.current)
        .join(Member, Member.id == totals.c.member_pk)
        .where(change != 0, change >= func.coalesce(cut, 0))
        .order_by(change.desc(), Member.member_id)
        .limit(limit)
    )
    return [(str(m), int(previous), int(current)) for m, previous, current in rows]


def pay_above_usual(
    session: Session, run_id: int, earlier_run_ids: list[int], factor: int
) -> list[tuple[str, int, int, int]]:
    """Members paid more than ``factor`` times their usual in this run: (member id, total
    now, sum and number of the earlier runs in which they earned), by member key. Their
    usual is their mean over the earlier runs in which their total was above zero."""
    if not earlier_run_ids:
        return []
    current = (
        select(PayoutLine.member_id.label("member_pk"), func.sum(PayoutLine.amount).label("amount"))
        .where(PayoutLine.run_id == run_id)
        .group_by(PayoutLine.member_id)
        .subquery("current_run")
    )
    per_run = (
        select(
            PayoutLine.run_id,
            PayoutLine.member_id.label("member_pk"),
            func.sum(PayoutLine.amount).label("amount"),
        )
        .where(PayoutLine.run_id.in_(earlier_run_ids))
        .group_by(PayoutLine.run_id, PayoutLine.member_id)
        .subquery("per_run")
    )
    usual = (
        select(
            per_run.c.member_pk,
            func.sum(per_run.c.amount).label("total"),
            func.count().label("runs"),
        )
        .where(per_run.c.amount > 0)
        .group_by(per_run.c.member_pk)
        .subquery("usual")
    )
    rows = session.execute(
        select(Member.member_id, current.c.amount, usual.c.total, usual.c.runs)
        .join(usual, usual.c.member_pk == current.c.member_pk)
        .join(Member, Member.id == current.c.member_pk)
        .where(current.c.amount * usual.c.runs > factor * usual.c.total)
        .order_by(current.c.member_pk)
    )
    return [(str(m), int(a), int(total), int(n)) for m, a, total, n in rows]


def insert_exchange_rates(session: Session, run_id: int, rates: dict[str, str]) -> None:
    """Store a run's exchange-rate snapshot (before it is finalized: afterwards it is fixed)."""
    for currency in sorted(rates):
        session.add(RunExchangeRate(run_id=run_id, currency=currency, rate=rates[currency]))
    session.flush()


def exchange_rates(session: Session, run_id: int) -> dict[str, str]:
    """A run's exchange-rate snapshot: currency -> Decimal string."""
    rows = session.execute(
        select(RunExchangeRate.currency, RunExchangeRate.rate)
        .where(RunExchangeRate.run_id == run_id)
        .order_by(RunExchangeRate.currency)
    )
    return {str(currency): str(rate) for currency, rate in rows}


def mark_finalized(session: Session, run_id: int) -> None:
    session.execute(
        update(CommissionRun)
        .where(CommissionRun.id == run_id, CommissionRun.status == "draft")
        .values(status="finalized", finalized_at=func.current_timestamp())
    )


def previous_highest_ranks(
    session: Session, company_id: int, before: date, member_db_ids: np.ndarray
) -> np.ndarray:
    """Highest rank each member held in the latest finalized run before ``before``."""
    highest = np.zeros(member_db_ids.shape[0], dtype=np.int16)
    last = latest_finalized_before(session, company_id, before)
    if last is None:
        return highest
    if member_db_ids.size <= FEW_MEMBERS:
        ids, ranks = _of_members(
            session,
            RankRecord.member_id,
            RankRecord.highest_rank,
            RankRecord.run_id,
            last,
            member_db_ids,
        )
        ranks = ranks.astype(np.int16)
    else:
        rows = read_columns(
            session,
            "SELECT member_id, highest_rank FROM rank_history WHERE run_id = :run"
            " ORDER BY member_id",
            {"run": int(last)},
            {"member_id": "int", "highest_rank": "int"},
        )
        ids, ranks = rows["member_id"], rows["highest_rank"].astype(np.int16)
    if ids.size == 0 or member_db_ids.size == 0:
        return highest
    where = np.clip(np.searchsorted(member_db_ids, ids), 0, member_db_ids.size - 1)
    hit = member_db_ids[where] == ids
    highest[where[hit]] = ranks[hit]
    return highest


def latest_finalized_before(session: Session, company_id: int, before: date) -> int | None:
    return session.scalar(
        select(CommissionRun.id)
        .where(
            CommissionRun.company_id == company_id,
            CommissionRun.status == "finalized",
            CommissionRun.starts_on < before,
        )
        .order_by(desc(CommissionRun.starts_on))
        .limit(1)
    )


# Figures a bonus kind keeps for display only (the binary leg volumes a run compared)
# share the carry table under this key prefix, so no close reads them as carry-in.
SHOWN = "shown:"


def insert_carry_values(
    session: Session,
    run_id: int,
    member_db_ids: np.ndarray,
    values: dict[str, np.ndarray],
    shown: dict[str, np.ndarray] | None = None,
) -> None:
    """Store each carry-out array's non-zero values, and each display figure's under
    ``SHOWN`` + its key."""
    named = {**values, **{SHOWN + key: array for key, array in (shown or {}).items()}}
    for key in sorted(named):
        array = named[key].astype(np.int64)
        keep = np.flatnonzero(array)
        if keep.size == 0:
            continue
        insert_rows(
            session,
            Rows(
                "run_carry_values",
                {
                    "run_id": np.full(keep.size, run_id, dtype=np.int64),
                    "key": np.full(keep.size, key, dtype=object),
                    "member_id": member_db_ids[keep].astype(np.int64),
                    "value": array[keep],
                },
            ),
        )


def carry_values(
    session: Session, run_id: int, member_db_ids: np.ndarray, keys: Sequence[str] | None = None
) -> dict[str, Any]:
    """A run's carry-out arrays aligned with ``member_db_ids`` (sorted); 0 where absent.

    ``keys``: only those arrays (carry-out or ``SHOWN`` display figures), each read by
    its index entries for the members; without, every carry-out array and no display
    figure (what the next close carries in)."""
    if member_db_ids.size <= FEW_MEMBERS:
        rows = _carry_rows_of_members(session, run_id, member_db_ids, keys)
    else:
        assert keys is None, "named keys are read for a few members only"
        rows = read_columns(
            session,
            "SELECT key, member_id, value FROM run_carry_values"
            " WHERE run_id = :run AND key NOT LIKE :shown ORDER BY key, member_id",
            {"run": int(run_id), "shown": SHOWN + "%"},
            {"key": "text", "member_id": "int", "value": "int"},
        )
    out: dict[str, np.ndarray] = {}
    if member_db_ids.size == 0:
        return out
    for key in np.unique(rows["key"].astype(str)).tolist():
        mine = rows["key"] == key
        ids, values = rows["member_id"][mine], rows["value"][mine]
        where = np.clip(np.searchsorted(member_db_ids, ids), 0, member_db_ids.size - 1)
        hit = member_db_ids[where] == ids
        array = np.zeros(member_db_ids.size, dtype=np.int64)
        array[where[hit]] = values[hit]
        out[key] = array
    return out


def has_any_key(session: Session, run_id: int, keys: Sequence[str]) -> bool:
    """Whether the run stored a non-zero value under any of ``keys`` (a run closed before
    a display figure was kept has none of it: showing zeros for it would be wrong)."""
    found = session.scalar(
        select(RunCarryValue.member_id)
        .where(RunCarryValue.run_id == int(run_id), RunCarryValue.key.in_(list(keys)))
        .limit(1)
    )
    return found is not None


# A statement evaluates one member's downline: its carry-in is read for those members
# only (a primary-key-ordered IN list per batch) instead of the whole run.
FEW_MEMBERS = 20_000
_IN_BATCH = 5_000


def _batches(member_db_ids: np.ndarray) -> list[list[int]]:
    ids = [int(i) for i in member_db_ids]
    return [ids[start : start + _IN_BATCH] for start in range(0, len(ids), _IN_BATCH)]


def _of_members(
    session: Session, key: Any, value: Any, run_column: Any, run_id: int, member_db_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(member ids, values) of one run's rows for the given members, by member id."""
    found: list[tuple[int, int]] = []
    for batch in _batches(member_db_ids):
        found += [
            (int(k), int(v))
            for k, v in session.execute(
                select(key, value).where(run_column == int(run_id), key.in_(batch))
            )
        ]
    found.sort()
    table = np.array(found, dtype=np.int64).reshape(-1, 2)
    return table[:, 0], table[:, 1]


def _carry_rows_of_members(
    session: Session, run_id: int, member_db_ids: np.ndarray, keys: Sequence[str] | None
) -> dict[str, np.ndarray]:
    found: list[tuple[str, int, int]] = []
    for batch in _batches(member_db_ids):
        query = select(RunCarryValue.key, RunCarryValue.member_id, RunCarryValue.value).where(
            RunCarryValue.run_id == int(run_id), RunCarryValue.member_id.in_(batch)
        )
        if keys is None:
            query = query.where(~RunCarryValue.key.startswith(SHOWN, autoescape=True))
        else:
            query = query.where(RunCarryValue.key.in_(list(keys)))
        found += [(str(k), int(m), int(v)) for k, m, v in session.execute(query)]
    found.sort()
    return {
        "key": np.array([row[0] for row in found], dtype=object),
        "member_id": np.array([row[1] for row in found], dtype=np.int64),
        "value": np.array([row[2] for row in found], dtype=np.int64),
    }

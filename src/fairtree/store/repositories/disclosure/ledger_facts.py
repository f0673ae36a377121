"""Whole-company reads for the disclosure and the monitors: one SELECT per table.

Every read returns numpy columns (PostgreSQL through ``COPY``, SQLite through one raw
cursor fetch, see ``bulk.engine_arrays.read_columns``); aggregation happens in numpy.
Only finalized runs are read. Dates are bound as literals by the bulk reader, never
text from the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.store.models import CommissionRun, Company, PlanVersion, RunExchangeRate
from fairtree.store.repositories.bulk import pg_read
from fairtree.store.repositories.bulk.engine_arrays import read_columns

_INT, _TEXT, _DATE = pg_read.INT, pg_read.TEXT, pg_read.DATE


@dataclass(frozen=True)
class RunRow:
    run_id: int
    period: str
    starts_on: date
    ends_on: date
    currency: str
    plan_sha256: str
    plan_text: str


def company(session: Session) -> Company | None:
    return session.scalar(select(Company).order_by(Company.id).limit(1))


def finalized_runs_within(
    session: Session, company_id: int, start: date, end: date
) -> list[RunRow]:
    """Finalized runs whose whole period lies in [start, end), in period order."""
    rows = session.execute(
        select(
            CommissionRun.id,
            CommissionRun.period_key,
            CommissionRun.starts_on,
            CommissionRun.ends_on,
            CommissionRun.currency,
            CommissionRun.plan_sha256,
            PlanVersion.yaml_text,
        )
        .join(PlanVersion, PlanVersion.id == CommissionRun.plan_version_id)
        .where(
            CommissionRun.company_id == company_id,
            CommissionRun.status == "finalized",
            CommissionRun.starts_on >= start,
            CommissionRun.ends_on <= end,
        )
        .order_by(CommissionRun.starts_on)
    )
    return [RunRow(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


def run_rates(session: Session, run_ids: list[int]) -> dict[int, dict[str, str]]:
    """The exchange-rate snapshot stored with each run: currency -> Decimal text."""
    rates: dict[int, dict[str, str]] = {run_id: {} for run_id in run_ids}
    if not run_ids:
        return rates
    rows = session.execute(
        select(RunExchangeRate.run_id, RunExchangeRate.currency, RunExchangeRate.rate)
        .where(RunExchangeRate.run_id.in_(run_ids))
        .order_by(RunExchangeRate.run_id, RunExchangeRate.currency)
    )
    for run_id, currency, rate in rows:
        rates[int(run_id)][currency] = rate
    return rates


def _ids(run_ids: list[int]) -> str:
    """Run ids as a literal list (integers only, from the database)."""
    return ", ".join(str(int(r)) for r in run_ids) or "-1"


_FAR_FUTURE = "9999-12-31"
_BONUS_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def members(session: Session, with_names: bool = False) -> dict[str, np.ndarray]:
    """Every member ever: id, sponsor (-1 for none), joined_on, and the first day they
    left (terminated or closed; far future when they never did), by id."""
    name = ", member_id" if with_names else ""
    schema = {"id": _INT, "sponsor_id": _INT, "joined_on": _DATE}
    if with_names:
        schema["member_id"] = _TEXT
    columns = read_columns(
        session,
        f"SELECT id, COALESCE(sponsor_id, -1), joined_on{name} FROM members ORDER BY id",  # noqa: S608
        {},
        schema,
    )
    left = read_columns(
        session,
        "SELECT member_id, MIN(valid_from) FROM genealogy_history"
        " WHERE status IN ('terminated', 'closed') GROUP BY member_id ORDER BY member_id",
        {},
        {"member_id": _INT, "left_on": _DATE},
    )
    left_on = np.full(columns["id"].size, np.datetime64(_FAR_FUTURE, "D"))
    where = np.searchsorted(columns["id"], left["member_id"])
    left_on[where] = left["left_on"]
    columns["left_on"] = left_on
    return columns


def members_with_customers(session: Session) -> np.ndarray:
    """Ids of members who have at least one recorded retail customer."""
    return read_columns(
        session, "SELECT DISTINCT member_id FROM customers ORDER BY member_id", {}, {"id": _INT}
    )["id"]


def pay_by_run(session: Session, run_ids: list[int]) -> dict[str, np.ndarray]:
    """Per (run, member): the sum of the run's lines (commissions and adjustments)."""
    return read_columns(
        session,
        "SELECT run_id, member_id, SUM(amount) FROM payout_lines"  # noqa: S608
        f" WHERE run_id IN ({_ids(run_ids)}) GROUP BY run_id, member_id",
        {},
        {"run_id": _INT, "member_id": _INT, "amount": _INT},
    )


def pay_of_bonuses(session: Session, run_id: int, bonus_ids: list[str]) -> dict[str, np.ndarray]:
    """Per member: the run's lines of the named bonuses (commissions and adjustments)."""
    safe = [b for b in bonus_ids if _BONUS_ID.fullmatch(b)]
    if not safe:
        return {"member_id": np.empty(0, np.int64), "amount": np.empty(0, np.int64)}
    listed = ", ".join(f"'{b}'" for b in safe)  # plan bonus ids: [A-Za-z0-9_.-] only
    return read_columns(
        session,
        "SELECT member_id, SUM(amount) FROM payout_lines"  # noqa: S608
        f" WHERE run_id = {int(run_id)} AND bonus_id IN ({listed}) GROUP BY member_id",
        {},
        {"member_id": _INT, "amount": _INT},
    )


def own_orders(session: Session, start: date, end: date) -> dict[str, np.ndarray]:
    """Orders members bought for themselves counting in [start, end), returns negative:
    buyer, the day it counts on, currency, price charged, and PV."""
    return read_columns(
        session,
        "SELECT buyer_member_id, counts_on, currency, total_sales + total_other_sales,"
        " total_pv FROM orders WHERE buyer_member_id IS NOT NULL"
        " AND counts_on >= :start AND counts_on < :end",
        {"start": start, "end": end},
        {"member_id": _INT, "counts_on": _DATE, "currency": _TEXT, "amount": _INT, "pv": _INT},
    )


_IN_RUN_CURRENCY = "currency = (SELECT currency FROM commission_runs WHERE id = :run)"
_OWN_ORDERS = (
    " FROM orders WHERE buyer_member_id IS NOT NULL AND counts_on >= :start AND counts_on < :end"
)
_PRICE = "total_sales + total_other_sales"


def own_purchase_sums(
    session: Session,
    run_id: int,
    start: date,
    end: date,
    window_from: date,
    month_from: date,
    late_from: date,
) -> dict[str, np.ndarray]:
    """Per member, own orders in the run's currency counting in [start, end), summed in
    SQL (one row per buyer, not per order): the price charged over the whole range, from
    ``window_from`` and from ``month_from``; PV from ``month_from`` and from ``late_from``."""
    return read_columns(
        session,
        f"SELECT buyer_member_id, SUM({_PRICE}),"
        f" SUM(CASE WHEN counts_on >= :window THEN {_PRICE} ELSE 0 END),"
        f" SUM(CASE WHEN counts_on >= :month THEN {_PRICE} ELSE 0 END),"
        " SUM(CASE WHEN counts_on >= :month THEN total_pv ELSE 0 END),"
        " SUM(CASE WHEN counts_on >= :late THEN total_pv ELSE 0 END)"
        f"{_OWN_ORDERS} AND {_IN_RUN_CURRENCY} GROUP BY buyer_member_id",
        {
            "run": run_id,
            "start": start,
            "end": end,
            "window": window_from,
            "month": month_from,
            "late": late_from,
        },
        {
            "member_id": _INT,
            "range_amount": _INT,
            "window_amount": _INT,
            "month_amount": _INT,
            "month_pv": _INT,
            "late_pv": _INT,
        },
    )


def own_orders_in_other_currencies(
    session: Session, run_id: int, start: date, end: date
) -> dict[str, np.ndarray]:
    """``own_orders`` whose currency is not the run's (converted one by one, at their
    period's stored rate)."""
    return read_columns(
        session,
        f"SELECT buyer_member_id, counts_on, currency, {_PRICE}, total_pv"
        f"{_OWN_ORDERS} AND NOT ({_IN_RUN_CURRENCY})",
        {"run": run_id, "start": start, "end": end},
        {"member_id": _INT, "counts_on": _DATE, "currency": _TEXT, "amount": _INT, "pv": _INT},
    )


def customer_orders(session: Session, start: date, end: date) -> dict[str, np.ndarray]:
    """Orders of recorded retail customers counting in [start, end): the member they are
    credited to, the customer, day, currency and price charged."""
    return read_columns(
        session,
        "SELECT credited_member_id, buyer_customer_id, counts_on, currency,"
        " total_sales + total_other_sales FROM orders WHERE buyer_customer_id IS NOT NULL"
        " AND counts_on >= :start AND counts_on < :end",
        {"start": start, "end": end},
        {
            "member_id": _INT,
            "customer_id": _INT,
            "counts_on": _DATE,
            "currency": _TEXT,
            "amount": _INT,
        },
    )


def rank_rows(session: Session, run_ids: list[int], min_pv: int) -> dict[str, np.ndarray]:
    """Rank rows of the runs that matter: active (PV at least ``min_pv``) or ranked."""
    return read_columns(
        session,
        "SELECT run_id, member_id, paid_as_rank, highest_rank, pv FROM rank_history"  # noqa: S608
        f" WHERE run_id IN ({_ids(run_ids)})"
        f" AND (pv >= {int(min_pv)} OR highest_rank > 0 OR paid_as_rank > 0)",
        {},
        {"run_id": _INT, "member_id": _INT, "paid_as": _INT, "highest": _INT, "pv": _INT},
    )


def paid_as_ranks(session: Session, run_ids: list[int]) -> dict[str, np.ndarray]:
    """The runs' members with a paid-as rank above the lowest (every other member's
    paid-as rank is 0): run, member and rank."""
    return read_columns(
        session,
        "SELECT run_id, member_id, paid_as_rank FROM rank_history"  # noqa: S608
        f" WHERE run_id IN ({_ids(run_ids)}) AND paid_as_rank > 0",
        {},
        {"run_id": _INT, "member_id": _INT, "paid_as": _INT},
    )

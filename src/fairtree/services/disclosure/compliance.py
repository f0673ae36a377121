"""The compliance monitors of one finalized period, from the ledger."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from fairtree.disclosure.cohorts import month_index
from fairtree.disclosure.compliance import ComplianceReport, PeriodFacts, monitor
from fairtree.disclosure.render_compliance import figure_columns
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.genealogy.tree import build_tree
from fairtree.money import currency_exponent, format_amount
from fairtree.periods import Period
from fairtree.services.disclosure.ledger_range import (
    LedgerRange,
    convert_amounts,
    load_range,
    rows_of,
)
from fairtree.store.repositories.disclosure import ledger_facts


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _period(key: str) -> Period:
    try:
        return Period.parse(key)
    except ValueError as error:
        raise ValidationError([Problem("compliance", key, "period", str(error))]) from None


def compliance_report(session: Session, period_key: str) -> ComplianceReport:
    """Every monitor for the finalized period ``period_key`` (e.g. ``2026-03``)."""
    period = _period(period_key)
    year_start = _months_before(period.start, 11)
    facts = load_range(session, year_start, period.end, with_names=True, with_purchases=False)
    runs = {run.period: run for run in facts.runs}
    run = runs.get(period.key)
    if run is None:
        raise NotFoundError(f"{period.key} has no finalized run; finalize it first")
    plan = facts.plan.for_date(period.start)
    settings = plan.compliance
    members = facts.members
    size = members.member_db_ids.size
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    rows = np.flatnonzero((members.joined_on < end) & (members.left_on > start))
    position = np.full(size, -1, dtype=np.int64)
    position[rows] = np.arange(rows.size)

    month = month_index(np.array([period.start], dtype="datetime64[D]"))[0]
    window_first = month - (settings.inventory_window_months - 1)

    def per_member(row: np.ndarray, amount: np.ndarray, where: np.ndarray) -> np.ndarray:
        total = np.zeros(size, dtype=np.int64)
        np.add.at(total, row[where], amount[where])
        return total[rows]

    pay_now = facts.pay_month == month
    customers = ledger_facts.customer_orders(
        session, _months_before(period.start, settings.inventory_window_months - 1), period.end
    )
    customer_row = rows_of(members.member_db_ids, customers["member_id"])
    customer_amount = convert_amounts(
        facts, customers["amount"], customers["currency"], customers["counts_on"]
    )
    customer_month = month_index(customers["counts_on"])
    customer_now = customer_month == month
    pairs = np.unique(customer_row[customer_now] * (2**31) + customers["customer_id"][customer_now])
    retail_customers = np.bincount((pairs // (2**31)).astype(np.int64), minlength=size)[rows]

    late_from = np.datetime64(period.end, "D") - settings.qualification_window_days
    purchases = _own_purchases(
        session,
        facts,
        run.run_id,
        window_from=_months_before(period.start, settings.inventory_window_months - 1),
        month_from=period.start,
        late_from=max(late_from.astype(date), period.start),
    )
    recruiting_ids = sorted(
        {b.id for b in plan.bonuses if b.kind == "fast_start"} | set(settings.recruiting_bonuses)
    )
    recruiting = ledger_facts.pay_of_bonuses(session, run.run_id, recruiting_ids)
    recruiting_pay = np.zeros(size, dtype=np.int64)
    np.add.at(
        recruiting_pay,
        rows_of(members.member_db_ids, recruiting["member_id"]),
        recruiting["amount"],
    )

    previous = runs.get(period.previous().key)
    run_ids = [run.run_id] + ([previous.run_id] if previous else [])
    ranks = ledger_facts.paid_as_ranks(session, run_ids)
    rank_row = rows_of(members.member_db_ids, ranks["member_id"])
    paid_as = np.zeros(size, dtype=np.int64)
    previous_paid_as = np.zeros(size, dtype=np.int64)
    this_run = ranks["run_id"] == run.run_id
    paid_as[rank_row[this_run]] = ranks["paid_as"][this_run]
    previous_paid_as[rank_row[~this_run]] = ranks["paid_as"][~this_run]

    sponsored = np.zeros(size, dtype=bool)
    sponsored[facts.sponsor_row[facts.sponsor_row >= 0]] = True
    sells = np.isin(members.member_db_ids, ledger_facts.members_with_customers(session))
    pay = per_member(facts.pay_row, facts.pay_amount, pay_now)
    sponsor_of = facts.sponsor_row[rows]
    parent = np.where(sponsor_of >= 0, position[np.maximum(sponsor_of, 0)], -1)
    window_member_months = _window_months(facts, rows, window_first, month)
    period_facts = PeriodFacts(
        member_ids=facts.member_names[rows] if facts.member_names is not None else rows,
        tree=build_tree(parent),
        own_purchases=purchases["month_amount"][rows],
        customer_sales=per_member(customer_row, customer_amount, customer_now),
        retail_customers=retail_customers.astype(np.int64),
        buyer_only=(~sponsored & ~sells)[rows] & (pay == 0),
        pay=pay,
        recruiting_pay=recruiting_pay[rows],
        window_purchases=purchases["window_amount"][rows],
        window_resales=per_member(customer_row, customer_amount, np.ones(customer_row.size, bool)),
        window_months=window_member_months,
        late_volume=purchases["late_pv"][rows],
        period_volume=purchases["month_pv"][rows],
        paid_as_rank=paid_as[rows],
        previous_paid_as_rank=previous_paid_as[rows],
        year_pay=per_member(facts.pay_row, facts.pay_amount, np.ones(facts.pay_row.size, bool)),
        year_purchases=purchases["range_amount"][rows],
    )
    currency = facts.currency
    return monitor(
        period.key,
        currency,
        run.run_id,
        period_facts,
        settings,
        currency_exponent(currency),
        lambda minor: format_amount(int(minor), currency),
    )


def _own_purchases(
    session: Session,
    facts: LedgerRange,
    run_id: int,
    *,
    window_from: date,
    month_from: date,
    late_from: date,
) -> dict[str, np.ndarray]:
    """Every member's own purchases over the range (by member row): the price charged
    over the whole range, the inventory window and the period, in the plan currency, and
    PV in the period and in its last days. Orders in the run's currency are summed per
    member in the store; others are read one by one and converted at their period's
    stored rate (rounded per order, as the statement converts them)."""
    ids = facts.members.member_db_ids
    out = {
        name: np.zeros(ids.size, dtype=np.int64)
        for name in ("range_amount", "window_amount", "month_amount", "month_pv", "late_pv")
    }
    start, end = facts.starts_on, facts.ends_on
    summed = ledger_facts.own_purchase_sums(
        session, run_id, start, end, window_from, month_from, late_from
    )
    row = rows_of(ids, summed["member_id"])
    for name, total in out.items():
        np.add.at(total, row, summed[name])
    other = ledger_facts.own_orders_in_other_currencies(session, run_id, start, end)
    if other["member_id"].size:
        row = rows_of(ids, other["member_id"])
        day = other["counts_on"]
        amount = convert_amounts(facts, other["amount"], other["currency"], day)
        since = {
            name: np.datetime64(when, "D")
            for name, when in (("window", window_from), ("month", month_from), ("late", late_from))
        }
        np.add.at(out["range_amount"], row, amount)
        np.add.at(out["window_amount"], row, np.where(day >= since["window"], amount, 0))
        np.add.at(out["month_amount"], row, np.where(day >= since["month"], amount, 0))
        np.add.at(out["month_pv"], row, np.where(day >= since["month"], other["pv"], 0))
        np.add.at(out["late_pv"], row, np.where(day >= since["late"], other["pv"], 0))
    return out


def _window_months(facts: LedgerRange, rows: np.ndarray, first: int, last: int) -> np.ndarray:
    joined = month_index(facts.members.joined_on[rows])
    left = month_index(facts.members.left_on[rows])
    return np.maximum(np.minimum(left, last) - np.maximum(joined, first) + 1, 0).astype(np.int64)


@dataclass(frozen=True)
class FlaggedPage:
    """One page of the members one monitor flagged, figures as text, and how many in all."""

    monitor: str
    reason: str
    columns: list[str]  # figure names, in the report's order
    numeric: dict[str, bool]
    rows: list[dict[str, str]]  # {"member": id, figure: text, ...}
    total: int


def flagged_page(
    report: ComplianceReport,
    monitor_name: str,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
) -> FlaggedPage:
    """Sort one monitor's flagged members by a figure (or the member id) and cut a page;
    NotFoundError for a monitor the report does not have."""
    flags = next((f for f in report.member_flags if f.monitor == monitor_name), None)
    if flags is None:
        raise NotFoundError(f"no monitor {monitor_name!r} in the compliance report")
    exponent = currency_exponent(report.currency)
    keys = flags.figures.get(sort) if sort != "member" else flags.member_ids.astype(str)
    if keys is None:
        keys = flags.member_ids.astype(str)
    order = np.argsort(keys, kind="stable")
    if descending:
        order = order[::-1]
    chosen = order[offset : offset + limit]
    page_flags = replace(
        flags,
        member_ids=flags.member_ids[chosen],
        figures={name: values[chosen] for name, values in flags.figures.items()},
    )
    texts = figure_columns(page_flags, exponent)
    ids = page_flags.member_ids.astype(str).tolist()
    rows = [
        {"member": member, **{name: str(texts[name][i]) for name in texts}}
        for i, member in enumerate(ids)
    ]
    return FlaggedPage(
        monitor=flags.monitor,
        reason=flags.reason,
        columns=list(flags.figures),
        numeric=dict.fromkeys(flags.figures, True),
        rows=rows,
        total=flags.count,
    )

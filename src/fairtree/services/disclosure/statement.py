"""The income disclosure statement of a range, and earnings-claim checks against it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from fairtree.disclosure import claim as claims
from fairtree.disclosure.cohorts import persistence, retention
from fairtree.disclosure.definitions import definitions
from fairtree.disclosure.statement import (
    Participants,
    RunUsed,
    Statement,
    StatementFrame,
    compute_statement,
)
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.money import currency_exponent, format_amount, parse_amount
from fairtree.periods import Period
from fairtree.services.disclosure.ledger_range import LedgerRange, load_range, rows_of, year_bounds
from fairtree.store.repositories.disclosure import ledger_facts


def _month_keys(start: date, end: date) -> list[str]:
    keys, period = [], Period.containing(start)
    while period.start < end:
        keys.append(period.key)
        period = period.next()
    return keys


def _participants(facts: LedgerRange, session: Session) -> tuple[np.ndarray, Participants]:
    size = facts.members.member_db_ids.size
    gross = np.zeros(size, dtype=np.int64)
    np.add.at(gross, facts.pay_row, facts.pay_amount)
    # Members at any time in the range, and anyone a finalized run of it paid (a late
    # adjustment to someone who had left), so the pay of every line is counted.
    paid_rows = facts.pay_row[facts.pay_amount != 0]
    rows = np.union1d(facts.participant_rows(), paid_rows)
    in_range = facts.buy_month >= facts.first_month
    purchases = np.zeros(size, dtype=np.int64)
    np.add.at(purchases, facts.buy_row[in_range], facts.buy_amount[in_range])
    plan = facts.plan.for_date(facts.runs[-1].starts_on)
    run_ids = [r.run_id for r in facts.runs]
    ranks = ledger_facts.rank_rows(session, run_ids, plan.activity.min_pv)
    rank_rows = rows_of(facts.members.member_db_ids, ranks["member_id"])
    active = np.bincount(rank_rows[ranks["pv"] >= plan.activity.min_pv], minlength=size)
    highest = np.zeros(size, dtype=np.int64)
    np.maximum.at(highest, rank_rows, ranks["highest"])
    sponsored = np.zeros(size, dtype=bool)
    sponsored[facts.sponsor_row[facts.sponsor_row >= 0]] = True
    sells = np.isin(facts.members.member_db_ids, ledger_facts.members_with_customers(session))
    buyer_only = ~sponsored & ~sells & (gross == 0)
    people = Participants(
        member_db_ids=facts.members.member_db_ids[rows],
        gross_pay=gross[rows],
        purchases=purchases[rows],
        months_active=active[rows].astype(np.int64),
        highest_rank=highest[rows],
        buyer_only=buyer_only[rows],
    )
    return rows, people


def _previous_year_pay(
    session: Session, facts: LedgerRange
) -> tuple[np.ndarray, np.ndarray, date, date] | None:
    """Pay of everyone who was a member in the range of the same length just before."""
    start = facts.starts_on
    months = facts.end_month - facts.first_month
    first = facts.first_month - months
    previous_start = date(first // 12, first % 12 + 1, 1)
    try:
        earlier = load_range(session, previous_start, start, with_purchases=False)
    except NotFoundError:
        return None
    if earlier.starts_on != previous_start:
        return None  # part of the previous range was never finalized: no comparison
    pay = np.zeros(earlier.members.member_db_ids.size, dtype=np.int64)
    np.add.at(pay, earlier.pay_row, earlier.pay_amount)
    rows = np.union1d(earlier.participant_rows(), earlier.pay_row[earlier.pay_amount != 0])
    return earlier.members.member_db_ids[rows], pay[rows], previous_start, start


def build_statement(session: Session, start: date, end: date) -> Statement:
    """The statement over the finalized months in [start, end)."""
    facts = load_range(session, start, end)
    rows, people = _participants(facts, session)
    plan = facts.plan.for_date(facts.runs[-1].starts_on)
    currency = facts.currency
    kept = retention(
        facts.members,
        facts.first_month,
        facts.end_month,
        facts.buy_row[facts.buy_amount > 0],
        facts.buy_month[facts.buy_amount > 0],
    )
    earlier = _previous_year_pay(session, facts)
    top = (
        persistence(
            earlier[0],
            earlier[1],
            people.member_db_ids,
            people.gross_pay,
            earlier[2].isoformat(),
            earlier[3].isoformat(),
        )
        if earlier
        else None
    )
    finalized = [run.period for run in facts.runs]
    frame = StatementFrame(
        company=facts.company_name,
        currency=currency,
        exponent=currency_exponent(currency),
        starts_on=facts.starts_on,
        ends_on=facts.ends_on,
        months=finalized,
        months_not_finalized=[k for k in _month_keys(start, end) if k not in finalized],
        rank_names=[rank.name for rank in plan.ranks],
        bracket_edges=list(plan.disclosure.brackets),
        runs=[
            RunUsed(r.run_id, r.period, r.plan_sha256, facts.rates[r.run_id]) for r in facts.runs
        ],
        definitions=definitions(currency, plan.activity.min_pv, len(finalized)),
    )
    del rows
    return compute_statement(
        frame, people, kept, top, lambda minor: format_amount(int(minor), currency)
    )


def statement_for_year(session: Session, year: int) -> Statement:
    start, end = year_bounds(year)
    return build_statement(session, start, end)


def check_claim(
    session: Session, amount_text: str, per: str, start: date, end: date
) -> claims.ClaimCheck:
    """Share of all participants who earned at least the amount, gross and net."""
    facts = load_range(session, start, end)
    try:
        amount = parse_amount(amount_text, facts.currency)
    except ValueError as error:
        raise ValidationError([Problem("claim", "", "amount", str(error))]) from None
    if amount <= 0:
        raise ValidationError([Problem("claim", "", "amount", "must be more than 0")])
    rows, people = _participants(facts, session)
    covered = (facts.currency, facts.starts_on.isoformat(), facts.ends_on.isoformat())
    if per == "year":
        checked = claims.check_yearly(
            amount, people.gross_pay, people.purchases, facts.end_month - facts.first_month
        )
        return _covering(checked, covered)
    size = facts.members.member_db_ids.size
    position = np.full(size, -1, dtype=np.int64)
    position[rows] = np.arange(rows.size)
    months = facts.end_month - facts.first_month
    # Sparse (participant, month) cells: pay and purchases added into one key space.
    in_range = facts.buy_month >= facts.first_month
    keys_pay = position[facts.pay_row] * months + (facts.pay_month - facts.first_month)
    keys_buy = position[facts.buy_row[in_range]] * months + (
        facts.buy_month[in_range] - facts.first_month
    )
    keys = np.concatenate([keys_pay, keys_buy])
    keep = keys >= 0
    unique, inverse = np.unique(keys[keep], return_inverse=True)
    pay = np.zeros(unique.size, dtype=np.int64)
    bought = np.zeros(unique.size, dtype=np.int64)
    split = int(np.count_nonzero(keys_pay >= 0))
    np.add.at(pay, inverse[:split], facts.pay_amount[keys_pay >= 0])
    np.add.at(bought, inverse[split:], facts.buy_amount[in_range][keys_buy >= 0])
    monthly = claims.MonthlyPay(
        row=unique // months,
        month=unique % months,
        gross_pay=pay,
        purchases=bought,
        member_months=facts.member_months(rows),
    )
    return _covering(claims.check_monthly(amount, int(rows.size), monthly), covered)


def _covering(check: claims.ClaimCheck, covered: tuple[str, str, str]) -> claims.ClaimCheck:
    currency, first, end = covered
    return replace(check, currency=currency, covered_from=first, covered_to=end)

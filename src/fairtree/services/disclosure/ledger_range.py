"""What the ledger says about a range of finalized periods, as arrays per member.

One read per table (``store.repositories.disclosure.ledger_facts``), then numpy: pay
per member and month from finalized runs, own purchases converted into the plan
currency at the rate each run stored, and who was a member when. The statement, the
claim check and the monitors all start here, so a figure means the same in each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache

import numpy as np
import yaml
from sqlalchemy.orm import Session

from fairtree.disclosure.cohorts import MembershipFacts, month_index
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.money import currency_exponent
from fairtree.plans.load import PlanDocument, parse_plan
from fairtree.store.repositories.disclosure import ledger_facts
from fairtree.store.repositories.disclosure.ledger_facts import RunRow

MIN_YEAR, MAX_YEAR = 1970, 9998


@dataclass(frozen=True)
class LedgerRange:
    """Finalized runs in a range and every member's pay and purchases in them."""

    company_name: str
    currency: str
    requested: tuple[date, date]
    runs: list[RunRow]
    rates: dict[int, dict[str, str]]
    plan: PlanDocument
    members: MembershipFacts
    sponsor_row: np.ndarray  # row of each member's sponsor, -1 for none
    member_names: np.ndarray | None
    pay_row: np.ndarray  # member row, month index, amount (sparse)
    pay_month: np.ndarray
    pay_amount: np.ndarray
    buy_row: np.ndarray  # own purchases: member row, month index, amount (plan currency)
    buy_month: np.ndarray
    buy_amount: np.ndarray
    buy_pv: np.ndarray
    buy_day: np.ndarray

    @property
    def starts_on(self) -> date:
        return self.runs[0].starts_on

    @property
    def ends_on(self) -> date:
        return self.runs[-1].ends_on

    @property
    def first_month(self) -> int:
        return int(month_index(np.array([self.starts_on], dtype="datetime64[D]"))[0])

    @property
    def end_month(self) -> int:
        return int(month_index(np.array([self.ends_on], dtype="datetime64[D]"))[0])

    def participant_rows(self) -> np.ndarray:
        """Rows of every member at any time in the range: joined before its end and
        not gone before its start."""
        start = np.datetime64(self.starts_on, "D")
        end = np.datetime64(self.ends_on, "D")
        m = self.members
        return np.flatnonzero((m.joined_on < end) & (m.left_on > start))

    def member_months(self, rows: np.ndarray) -> np.ndarray:
        """Months of the range in which each member (by row) was a member on some day."""
        joined = month_index(self.members.joined_on[rows])
        left = month_index(self.members.left_on[rows])
        first = np.maximum(joined, self.first_month)
        last = np.minimum(left + 1, self.end_month)
        return np.maximum(last - first, 0)


def rows_of(member_ids: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Row of each target id in the ascending ``member_ids`` (every target is a member).

    Database ids are nearly dense, so a table indexed by id (one int64 per id up to the
    largest) answers each target in one gather; a binary search per target over a
    million ids costs several times more. Sparse ids fall back to the search.
    """
    targets = np.asarray(targets, dtype=np.int64)
    if member_ids.size == 0 or member_ids[0] < 0 or member_ids[-1] > 4 * member_ids.size:
        return np.searchsorted(member_ids, targets).astype(np.int64)
    table = np.zeros(int(member_ids[-1]) + 1, dtype=np.int64)
    table[member_ids] = np.arange(member_ids.size, dtype=np.int64)
    return table[targets]


def _convert(
    amount: np.ndarray,
    currency: np.ndarray,
    run_of: np.ndarray,
    runs: list[RunRow],
    rates: dict[int, dict[str, str]],
    plan_currency: str,
) -> np.ndarray:
    """Amounts in their own currencies to the plan currency, at each run's stored rate
    (units of the currency per plan-currency unit), rounded half-even once per amount."""
    out = amount.astype(np.int64).copy()
    if currency.size == 0:
        return out
    others = currency != plan_currency
    if not others.any():
        return out
    plan_exponent = currency_exponent(plan_currency)
    problems = []
    for code in sorted(set(currency[others].tolist())):
        exponent = currency_exponent(code)
        for index, run in enumerate(runs):
            where = others & (currency == code) & (run_of == index)
            if not where.any():
                continue
            text = rates[run.run_id].get(code)
            if text is None:
                problems.append(
                    Problem(
                        "run_exchange_rates",
                        run.period,
                        "rate",
                        f"no stored {plan_currency}->{code} rate for orders in {code}",
                    )
                )
                continue
            factor = Fraction(10**plan_exponent) / (Fraction(text) * 10**exponent)
            values = amount[where].astype(object) * factor.numerator
            out[where] = _half_even_array(values, factor.denominator)
    if problems:
        raise ValidationError(problems)
    return out


def _half_even_array(numerator: np.ndarray, denominator: int) -> np.ndarray:
    """Half-even division of an object array of Python ints (exact, any size)."""
    quotient = numerator // denominator
    remainder = numerator - quotient * denominator
    doubled = remainder * 2
    up = (doubled > denominator) | ((doubled == denominator) & (quotient % 2 == 1))
    return (quotient + up.astype(object)).astype(np.int64)


def convert_amounts(
    facts: LedgerRange, amount: np.ndarray, currency: np.ndarray, days: np.ndarray
) -> np.ndarray:
    """Amounts of orders into the plan currency at the stored rate of their period's run
    (the first run's rate for days before it)."""
    run_of = np.maximum(run_index_of_day(facts.runs, days), 0)
    return _convert(amount, currency, run_of, facts.runs, facts.rates, facts.currency)


def run_index_of_day(runs: list[RunRow], days: np.ndarray) -> np.ndarray:
    """Index of the run whose period holds each day (runs are in period order)."""
    starts = np.array([r.starts_on for r in runs], dtype="datetime64[D]")
    return np.searchsorted(starts, days, side="right") - 1


def load_range(
    session: Session,
    start: date,
    end: date,
    *,
    with_names: bool = False,
    history_from: date | None = None,
    with_purchases: bool = True,
) -> LedgerRange:
    """Read everything for [start, end); ``history_from`` widens the purchases read
    (the monitors' rolling windows). Without purchases the ``buy_*`` arrays are empty:
    for readers that need pay only, or that sum purchases in the store themselves."""
    if not start < end:
        raise ValidationError([Problem("range", "", "to", f"{end} is not after {start}")])
    company = ledger_facts.company(session)
    if company is None:
        raise NotFoundError("the database holds no company; import a dataset first")
    runs = ledger_facts.finalized_runs_within(session, company.id, start, end)
    if not runs:
        raise NotFoundError(f"no finalized run lies within {start} to {end}")
    currencies = sorted({run.currency for run in runs})
    if len(currencies) > 1:
        raise ValidationError(
            [
                Problem(
                    "commission_runs",
                    "",
                    "currency",
                    f"runs in the range are in {', '.join(currencies)}; one statement needs one",
                )
            ]
        )
    rates = ledger_facts.run_rates(session, [r.run_id for r in runs])
    latest = runs[-1]
    plan = _plan(latest.plan_sha256, latest.plan_text)
    columns = ledger_facts.members(session, with_names=with_names)
    ids = columns["id"]
    members = MembershipFacts(ids, columns["joined_on"], columns["left_on"])
    sponsor = columns["sponsor_id"]
    sponsor_row = np.where(sponsor >= 0, rows_of(ids, np.maximum(sponsor, 0)), -1)

    run_months = month_index(np.array([r.starts_on for r in runs], dtype="datetime64[D]"))
    run_position = {run.run_id: i for i, run in enumerate(runs)}
    pay = ledger_facts.pay_by_run(session, list(run_position))
    pay_run = np.array([run_position[int(r)] for r in np.unique(pay["run_id"])], dtype=np.int64)
    lookup = np.full(int(pay["run_id"].max(initial=0)) + 1, -1, dtype=np.int64)
    lookup[np.unique(pay["run_id"])] = pay_run
    pay_month = run_months[lookup[pay["run_id"]]] if pay["run_id"].size else pay["run_id"]

    if with_purchases:
        orders = ledger_facts.own_orders(session, history_from or runs[0].starts_on, latest.ends_on)
    else:
        orders = {
            "member_id": np.empty(0, np.int64),
            "counts_on": np.empty(0, "datetime64[D]"),
            "currency": np.empty(0, object),
            "amount": np.empty(0, np.int64),
            "pv": np.empty(0, np.int64),
        }
    run_of = run_index_of_day(runs, orders["counts_on"])
    # Orders before the first run (monitor windows) convert at the first run's rates.
    amount = _convert(
        orders["amount"], orders["currency"], np.maximum(run_of, 0), runs, rates, latest.currency
    )
    return LedgerRange(
        company_name=company.name,
        currency=latest.currency,
        requested=(start, end),
        runs=runs,
        rates=rates,
        plan=plan,
        members=members,
        sponsor_row=sponsor_row,
        member_names=columns.get("member_id"),
        pay_row=rows_of(ids, pay["member_id"]),
        pay_month=pay_month.astype(np.int64),
        pay_amount=pay["amount"],
        buy_row=rows_of(ids, orders["member_id"]),
        buy_month=month_index(orders["counts_on"]),
        buy_amount=amount,
        buy_pv=orders["pv"],
        buy_day=orders["counts_on"],
    )


@lru_cache(maxsize=8)
def _plan(sha256: str, text: str) -> PlanDocument:
    """The plan a run was evaluated under (parsed once per text)."""
    return parse_plan(yaml.safe_load(text), f"plan {sha256[:12]}")


def year_bounds(year: int) -> tuple[date, date]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            [Problem("range", "", "year", f"{year} is not a year fairtree keeps")]
        )
    return date(year, 1, 1), date(year + 1, 1, 1)

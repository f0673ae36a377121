"""A simulated income disclosure statement for the run's last year.

It covers everyone who was a member at any time in the year (not only "active" ones),
says what "active" means, and reports what the FTC staff report found missing from
published statements: the share who earned nothing, median before mean, purchases and
net pay, brackets, retention by joining cohort and whether last year's top earners
stay on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fairtree.money import format_amount

if TYPE_CHECKING:
    from fairtree.simulation.simulate import SimulationRun

ACTIVE_DEFINITION = (
    "Active: a member present in the company for at least one month of the year "
    "(not counting the months after they left). Everyone who was a member at any time "
    "in the year is counted, whether they earned anything or not."
)
BRACKETS = (0, 1, 100_00, 1_000_00, 10_000_00, 100_000_00)  # minor units, lower bounds


def _percentile(values: np.ndarray, q: float) -> int:
    return int(np.percentile(values, q, method="inverted_cdf")) if values.size else 0


def simulated_disclosure(run: SimulationRun) -> dict[str, Any]:
    """The last full year of the run (or the whole run when shorter than a year)."""
    money = lambda minor: format_amount(int(minor), run.currency)  # noqa: E731
    people = run.people
    year = max(run.months // 12 - 1, 0)
    first, last = 12 * year, min(12 * year + 11, run.months - 1)
    member = (people.join_month <= last) & (people.left_month > first)
    pay = run.pay_by_year[year][member]
    spend = run.spend_by_year[year][member]
    net = pay + run.margin_by_year[year][member] - spend
    scale = 10 ** max(0, _exponent(run.currency) - 2)
    brackets = []
    for i, low in enumerate(BRACKETS):
        high = BRACKETS[i + 1] if i + 1 < len(BRACKETS) else None
        low_minor = low * scale
        inside = pay >= low_minor if high is None else (pay >= low_minor) & (pay < high * scale)
        if low == 0:
            inside = pay == 0
        brackets.append(
            {
                "from": money(low_minor),
                "below": money(high * scale) if high is not None else None,
                "members": int(inside.sum()),
                "share": float(inside.mean()) if pay.size else 0.0,
                "mean_pay": money(int(pay[inside].sum()) // max(int(inside.sum()), 1)),
            }
        )
    return {
        "year": f"months {first + 1}-{last + 1} of the simulation",
        "definition_of_active": ACTIVE_DEFINITION,
        "participants": int(member.sum()),
        "earned_nothing_share": float((pay == 0).mean()) if pay.size else 0.0,
        "median_gross_pay": money(_percentile(pay, 50)),
        "mean_gross_pay": money(int(pay.sum()) // max(pay.size, 1)),
        "gross_pay_percentiles": {
            f"p{q}": money(_percentile(pay, q)) for q in (10, 25, 50, 75, 90, 99)
        },
        "brackets": brackets,
        "median_purchases_and_expenses": money(_percentile(spend, 50)),
        "median_net_pay": money(_percentile(net, 50)),
        "net_positive_share": float((net > 0).mean()) if net.size else 0.0,
        "retention_by_joining_cohort": _retention(run, last),
        "top_earners_staying_on_top": _persistence(run, year),
    }


def _exponent(currency: str) -> int:
    from fairtree.money import currency_exponent

    return currency_exponent(currency)


def _retention(run: SimulationRun, last: int) -> list[dict[str, Any]]:
    """Per joining year: how many joined and what share were still members at the end."""
    people = run.people
    rows = []
    for year in range((last // 12) + 1):
        joined = (people.join_month // 12) == year
        joined &= people.join_month <= last
        count = int(joined.sum())
        if count == 0:
            continue
        staying = people.left_month[joined] > last
        rows.append(
            {
                "joined_in": f"year {year + 1}",
                "members": count,
                "still_members_share": float(staying.mean()),
            }
        )
    return rows


def _persistence(run: SimulationRun, year: int) -> dict[str, Any] | None:
    """Of the previous year's top 10% earners, the share still in this year's top 10%."""
    if year == 0:
        return None
    before, now = run.pay_by_year[year - 1], run.pay_by_year[year]
    earned = np.flatnonzero(before > 0)
    if earned.size == 0:
        return None
    count = max(1, int(np.ceil(earned.size * 0.10)))
    top_before = earned[np.argsort(-before[earned], kind="stable")[:count]]
    earned_now = np.flatnonzero(now > 0)
    count_now = max(1, int(np.ceil(max(earned_now.size, 1) * 0.10)))
    top_now = earned_now[np.argsort(-now[earned_now], kind="stable")[:count_now]]
    return {
        "top_earners_last_year": int(top_before.size),
        "still_top_share": float(np.isin(top_before, top_now).mean()),
    }

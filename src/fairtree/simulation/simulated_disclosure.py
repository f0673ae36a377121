"""A simulated income disclosure statement for the run's last year, computed by the
statement's own code (``fairtree.disclosure.statement.compute_statement``) and laid out
by its own templates, so a plan's fairness reads like its future disclosure.

It covers everyone who was a member at any time in the year (not only "active" ones),
zero earners included, with the same figures in the same order: participants, the share
paid nothing, the median gross beside net, percentiles, brackets, by rank, retention by
joining cohort, concentration and top-earner persistence. Where a simulation knows more
or less than a ledger, the definitions printed on it say so.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from fairtree.disclosure.cohorts import (
    MembershipFacts,
    Persistence,
    Retention,
    persistence,
    retention,
)
from fairtree.disclosure.definitions import definitions
from fairtree.disclosure.statement import Participants, Statement, StatementFrame, compute_statement
from fairtree.money import currency_exponent, format_amount
from fairtree.periods import Period
from fairtree.simulation.simulate import disclosure_year_start

if TYPE_CHECKING:
    from fairtree.simulation.simulate import SimulationRun

SIMULATED_TERMS = {
    "participant": (
        "Everyone who was a member of the simulated company at any time in the year, "
        "including those who joined or left during it and those paid nothing."
    ),
    "range": (
        "The last full year of the simulation (the whole run when it is shorter than a "
        "year); every figure is what simulated people received over those months, never a "
        "month multiplied up."
    ),
    "gross pay": (
        "Everything the plan paid the participant over the year, month by month with the "
        "close's own engine."
    ),
    "own purchases": (
        "What the participant paid for their own orders (starter kit, own orders, orders "
        "made to qualify) and the scenario's expenses over the year, less the retail margin "
        "they made on their customers' orders. A ledger does not know expenses or retail "
        "margin; a simulation does, so both are counted here."
    ),
    "active": (
        "A month of the year in which the simulated person was a member. Everyone is "
        "counted whether active or not."
    ),
    "highest rank": "The rank the plan gave the participant in the simulation's last month.",
    "buyer-only member": (
        "A participant who recruited nobody, has no retail customer and was paid nothing. "
        "Shown as their own group and counted in every figure."
    ),
    "retention": (
        "Of everyone who joined in a calendar year, how many were still members 12 (24) "
        "months after their joining month, and how many also bought for themselves in that "
        "month. Shown for cohorts whose mark falls in the year."
    ),
    "top-earner persistence": (
        "Of the top 1% (10%) of the simulation's year before (all paid more than nothing), "
        "how many are in the top 1% (10%) again."
    ),
}


def _month_start(start: date, month: int) -> date:
    index = start.year * 12 + start.month - 1 + month
    return date(index // 12, index % 12 + 1, 1)


def simulated_statement(run: SimulationRun) -> Statement:
    """The statement over the run's last full year (or the whole run when shorter)."""
    people = run.people
    start = run.scenario.start
    first = disclosure_year_start(run.months)
    year, last = first // 12, min(first + 11, run.months - 1)
    rows = np.flatnonzero((people.join_month <= last) & (people.left_month > first))
    currency = run.currency
    spend = run.spend_by_year[year] - run.margin_by_year[year]
    months_present = np.minimum(people.left_month[rows], last + 1) - np.maximum(
        people.join_month[rows], first
    )
    buyer_only = (people.recruits() == 0) & (people.customers == 0) & (run.pay_by_year[year] <= 0)
    participants = Participants(
        member_db_ids=rows.astype(np.int64),
        gross_pay=run.pay_by_year[year][rows],
        purchases=spend[rows],
        months_active=months_present.astype(np.int64),
        highest_rank=run.highest_rank[rows].astype(np.int64),
        buyer_only=buyer_only[rows],
    )
    frame = StatementFrame(
        company=f"{run.plan_name} under {run.scenario.scenario.name} (simulated, seed {run.seed})",
        currency=currency,
        exponent=currency_exponent(currency),
        starts_on=_month_start(start, first),
        ends_on=_month_start(start, last + 1),
        months=[Period.containing(_month_start(start, m)).key for m in range(first, last + 1)],
        months_not_finalized=[],
        rank_names=list(run.rank_names),
        bracket_edges=list(run.bracket_edges),
        runs=[],
        definitions={
            **definitions(currency, run.activity_min_pv, last - first + 1),
            **SIMULATED_TERMS,
        },
    )
    return compute_statement(
        frame,
        participants,
        _retention(run, first, last),
        _persistence(run, year),
        lambda minor: format_amount(int(minor), currency),
    )


def _retention(run: SimulationRun, first: int, last: int) -> list[Retention]:
    """The statement's retention, from the simulated join and leave months and who
    bought for themselves in each cohort's 12- and 24-month mark."""
    people = run.people
    start = run.scenario.start
    offset = start.year * 12 + start.month - 1  # month index of the simulation's month 0
    everyone = np.arange(len(people), dtype=np.int64)
    joined = np.datetime64(date(start.year, start.month, 1), "M") + people.join_month.astype(
        "timedelta64[M]"
    )
    stayed = people.left_month >= run.months
    left = np.datetime64(date(start.year, start.month, 1), "M") + np.where(
        stayed, run.months + 1200, people.left_month
    ).astype("timedelta64[M]")
    members = MembershipFacts(
        member_db_ids=everyone,
        joined_on=joined.astype("datetime64[D]"),
        left_on=left.astype("datetime64[D]"),
    )
    buyer_rows, buyer_months = [], []
    for horizon in (12, 24):
        mark = people.join_month.astype(np.int64) + horizon
        inside = np.flatnonzero((mark >= first) & (mark <= last))
        bought = run.bought[mark[inside] - run.bought_from, inside]
        buyer_rows.append(inside[bought])
        buyer_months.append(mark[inside][bought] + offset)
    return retention(
        members,
        offset + first,
        offset + last + 1,
        np.concatenate(buyer_rows),
        np.concatenate(buyer_months),
    )


def _persistence(run: SimulationRun, year: int) -> Persistence | None:
    if year == 0:
        return None
    people = run.people
    start = run.scenario.start
    before = np.flatnonzero(
        (people.join_month <= 12 * year - 1) & (people.left_month > 12 * (year - 1))
    )
    now = np.flatnonzero((people.join_month <= 12 * year + 11) & (people.left_month > 12 * year))
    return persistence(
        before.astype(np.int64),
        run.pay_by_year[year - 1][before],
        now.astype(np.int64),
        run.pay_by_year[year][now],
        _month_start(start, 12 * (year - 1)).isoformat(),
        _month_start(start, 12 * year).isoformat(),
    )

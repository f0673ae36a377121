"""The simulation report: what the plan did to everyone who ever joined.

Money figures are exact minor units turned into decimal strings of the plan currency;
shares and the Gini coefficient are ratios (floats). Percentiles are values some member
actually had (the inverted-CDF rule), never an average of two.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fairtree.disclosure.render import statement_data
from fairtree.money import currency_exponent, format_amount
from fairtree.simulation.population import NEVER
from fairtree.simulation.simulate import SimulationRun
from fairtree.simulation.simulated_disclosure import simulated_statement

PERCENTILES = (1, 5, 10, 25, 50, 75, 90, 95, 99)
RECRUIT_BUCKETS = 10  # 0..9, then "10+"


def percentile(values: np.ndarray, q: float) -> int:
    """A value some member had: the smallest with at least q% of members at or below."""
    if values.size == 0:
        return 0
    return int(np.percentile(values, q, method="inverted_cdf"))


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative amounts (0: equal, 1: one member has all)."""
    if values.size == 0:
        return 0.0
    ordered = np.sort(values).astype(np.float64)
    total = ordered.sum()
    if total <= 0:
        return 0.0
    ranks = np.arange(1, ordered.size + 1, dtype=np.float64)
    return float(((2 * ranks - ordered.size - 1) * ordered).sum() / (ordered.size * total))


def top_share(values: np.ndarray, fraction: float) -> float:
    """Share of the total held by the top ``fraction`` of members (at least one)."""
    total = int(values.sum())
    if total <= 0 or values.size == 0:
        return 0.0
    count = max(1, int(np.ceil(values.size * fraction)))
    top = np.partition(values, values.size - count)[values.size - count :]
    return int(top.sum()) / total


def lorenz_points(values: np.ndarray, points: int = 100) -> list[tuple[float, float]]:
    """(share of members, share of total) from the lowest earners up."""
    ordered = np.sort(values)
    cumulative = np.concatenate([[0], np.cumsum(ordered)])
    total = cumulative[-1] if cumulative[-1] > 0 else 1
    at = np.linspace(0, ordered.size, points + 1).round().astype(np.int64)
    return [(float(i / max(ordered.size, 1)), float(cumulative[i] / total)) for i in at]


def share(mask: np.ndarray) -> float:
    return float(mask.mean()) if mask.size else 0.0


def recruits_distribution(recruits: np.ndarray) -> dict[str, float]:
    counts = np.bincount(np.minimum(recruits, RECRUIT_BUCKETS), minlength=RECRUIT_BUCKETS + 1)
    shares = counts / max(recruits.size, 1)
    out = {str(k): float(shares[k]) for k in range(RECRUIT_BUCKETS)}
    out[f"{RECRUIT_BUCKETS}+"] = float(shares[RECRUIT_BUCKETS])
    return out


NET_EDGES = (-1000, -500, -100, 0, 100, 1000, 10000)  # whole currency units


def net_histogram(run: SimulationRun) -> list[dict[str, Any]]:
    """Members per net income bracket; zero is a bracket of its own."""
    unit = 10 ** currency_exponent(run.currency)
    net = run.net
    edges = [e * unit for e in NET_EDGES]
    rows = []
    lows = [None, *edges]
    for i, low in enumerate(lows):
        high = edges[i] if i < len(edges) else None
        inside = np.ones(net.size, bool)
        if low is not None:
            inside &= net > low if low == 0 else net >= low
        if high is not None:
            inside &= net < high
        label = _bracket_label(low, high, unit)
        rows.append({"bracket": label, "members": int(inside.sum())})
        if high == 0:
            rows.append({"bracket": "0", "members": int((net == 0).sum())})
    return rows


def _bracket_label(low: int | None, high: int | None, unit: int) -> str:
    if low is None:
        assert high is not None
        return f"below {high // unit:,}"
    if high is None:
        return f"{low // unit:,} and more"
    return f"{low // unit:,} to {high // unit:,}"


def month_label(run: SimulationRun, month: int) -> str:
    start = run.scenario.start
    index = start.year * 12 + start.month - 1 + month
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def by_join_month(run: SimulationRun) -> list[dict[str, Any]]:
    """Pay and net per joining month (do late joiners earn less?), vectorized by cohort."""
    money = _money(run)
    people = run.people
    cohort = people.join_month
    cohorts = np.bincount(cohort, minlength=run.months)
    order = np.argsort(cohort, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(cohorts)])
    pay, net = run.pay[order], run.net[order]
    stayed = (people.left_month == NEVER)[order]
    rows = []
    for month in range(run.months):  # a loop over months, not members
        lo, hi = bounds[month], bounds[month + 1]
        if hi == lo:
            continue
        rows.append(
            {
                "join_month": month_label(run, month),
                "members": int(hi - lo),
                "mean_pay": money(int(pay[lo:hi].sum()) // int(hi - lo)),
                "median_pay": money(percentile(pay[lo:hi], 50)),
                "median_net_income": money(percentile(net[lo:hi], 50)),
                "net_positive_share": share(net[lo:hi] > 0),
                "still_member_share": share(stayed[lo:hi]),
            }
        )
    return rows


def _money(run: SimulationRun) -> Any:
    return lambda minor: format_amount(int(minor), run.currency)


def build_report(run: SimulationRun) -> dict[str, Any]:
    """The report as plain data (the JSON format; HTML and CSV are drawn from it)."""
    money = _money(run)
    people = run.people
    pay, net = run.pay, run.net
    recruits = people.recruits()
    dropped = people.left_month != NEVER
    totals = run.totals
    total_sales, total_paid = sum(totals.sales), sum(totals.paid)
    ranks = np.bincount(run.highest_rank, minlength=len(run.rank_names) + 1)
    return {
        "plan": run.plan_name,
        "scenario": run.scenario.scenario.name,
        "seed": run.seed,
        "months": run.months,
        "currency": run.currency,
        "ever_joined": len(people),
        "members_at_end": totals.present[-1] if totals.present else 0,
        "recruited_nobody_share": share(recruits == 0),
        "recruits_distribution": recruits_distribution(recruits),
        "net_positive_share": share(net > 0),
        "median_net_income": money(percentile(net, 50)),
        "mean_net_income": money(int(net.sum()) // max(net.size, 1)),
        "net_income_percentiles": {f"p{q}": money(percentile(net, q)) for q in PERCENTILES},
        "earned_nothing_share": share(pay == 0),
        "median_pay": money(percentile(pay, 50)),
        "mean_pay": money(int(pay.sum()) // max(pay.size, 1)),
        "pay_percentiles": {f"p{q}": money(percentile(pay, q)) for q in PERCENTILES},
        "median_purchases": money(percentile(run.purchases, 50)),
        "median_expenses": money(percentile(run.expenses, 50)),
        "median_retail_margin": money(percentile(run.retail_margin, 50)),
        "net_income_histogram": net_histogram(run),
        "gini_pay": gini(pay),
        "top_1_percent_pay_share": top_share(pay, 0.01),
        "top_10_percent_pay_share": top_share(pay, 0.10),
        "total_sales": money(total_sales),
        "total_paid": money(total_paid),
        "payout_share_of_sales": total_paid / total_sales if total_sales else 0.0,
        "breakage": money(sum(totals.breakage)),
        "breakage_share_of_pools": sum(totals.breakage) / sum(totals.pools)
        if sum(totals.pools)
        else 0.0,
        "earnings_by_join_month": by_join_month(run),
        "dropouts": {
            "members": int(dropped.sum()),
            "share": share(dropped),
            "median_net_income": money(percentile(net[dropped], 50)),
            "net_positive_share": share(net[dropped] > 0),
            "total_net_income": money(int(net[dropped].sum())),
        },
        "flat_spots": {
            "members": int((run.flat_months > 0).sum()),
            "share": share(run.flat_months > 0),
            "member_months": int(run.flat_months.sum()),
        },
        "highest_rank_at_end": {
            (run.rank_names[i - 1] if i else "none"): int(ranks[i]) for i in range(ranks.size)
        },
        "lorenz_pay": lorenz_points(pay),
        "by_month": [
            {
                "month": month_label(run, m),
                "members": totals.present[m],
                "joined": totals.joined[m],
                "left": totals.left[m],
                "sales": money(totals.sales[m]),
                "paid": money(totals.paid[m]),
                "breakage": money(totals.breakage[m]),
            }
            for m in range(len(totals.present))
        ],
        "income_disclosure": statement_data(simulated_statement(run)),
    }

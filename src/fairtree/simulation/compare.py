"""Plan A against plan B on the same simulated people: who gains, who loses, by how much.

Both plans run over one ``Population`` and the same monthly random draws (``simulate``
with the same seed), so every difference is the plans' doing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fairtree.money import format_amount
from fairtree.plans.load import PlanDocument
from fairtree.simulation.report import build_report, month_label, percentile
from fairtree.simulation.scenario import Scenario
from fairtree.simulation.simulate import OnMonth, SimulationRun, people_of, simulate

HEADLINE = (
    "net_positive_share",
    "median_net_income",
    "earned_nothing_share",
    "median_pay",
    "gini_pay",
    "top_1_percent_pay_share",
    "top_10_percent_pay_share",
    "payout_share_of_sales",
    "total_paid",
    "breakage",
)


def _group_rows(
    labels: list[str], group: np.ndarray, change: np.ndarray, currency: str, key: str
) -> list[dict[str, Any]]:
    """Per group: members, share gaining, share losing, mean and total change in pay."""
    counts = np.bincount(group, minlength=len(labels))
    gains = np.bincount(group, weights=change > 0, minlength=len(labels))
    losses = np.bincount(group, weights=change < 0, minlength=len(labels))
    order = np.argsort(group, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(counts)])
    ordered = change[order]
    rows = []
    for index, label in enumerate(labels):  # a loop over groups, not members
        members = int(counts[index])
        if members == 0:
            continue
        total = int(ordered[bounds[index] : bounds[index + 1]].sum())
        rows.append(
            {
                key: label,
                "members": members,
                "gain_share": float(gains[index] / members),
                "loss_share": float(losses[index] / members),
                "mean_pay_change": format_amount(total // members, currency),
                "total_pay_change": format_amount(total, currency),
            }
        )
    return rows


def comparison(run_a: SimulationRun, run_b: SimulationRun) -> dict[str, Any]:
    if run_a.currency != run_b.currency:
        raise ValueError("plans A and B must pay in the same currency to be compared")
    money = lambda minor: format_amount(int(minor), run_a.currency)  # noqa: E731
    report_a, report_b = build_report(run_a), build_report(run_b)
    change = run_b.pay - run_a.pay
    gained, lost = change > 0, change < 0
    ranks = ["none", *run_a.rank_names]
    months = [month_label(run_a, m) for m in range(run_a.months)]
    return {
        "plan_a": run_a.plan_name,
        "plan_b": run_b.plan_name,
        "scenario": run_a.scenario.scenario.name,
        "seed": run_a.seed,
        "months": run_a.months,
        "currency": run_a.currency,
        "ever_joined": len(run_a.people),
        "headline": {key: {"a": report_a[key], "b": report_b[key]} for key in HEADLINE},
        "gainers": {
            "members": int(gained.sum()),
            "share": float(gained.mean()),
            "median_gain": money(percentile(change[gained], 50)),
            "largest_gain": money(change.max() if change.size else 0),
        },
        "losers": {
            "members": int(lost.sum()),
            "share": float(lost.mean()),
            "median_loss": money(-percentile(change[lost], 50) if lost.any() else 0),
            "largest_loss": money(-change.min() if change.size else 0),
        },
        "unchanged_share": float((change == 0).mean()),
        "total_pay_change": money(change.sum()),
        "by_rank_under_a": _group_rows(
            ranks, run_a.highest_rank.astype(np.int64), change, run_a.currency, "rank"
        ),
        "by_join_month": _group_rows(
            months, run_a.people.join_month.astype(np.int64), change, run_a.currency, "join_month"
        ),
    }


def compare_plans(
    plan_a: PlanDocument,
    plan_b: PlanDocument,
    scenario: Scenario,
    months: int,
    seed: int,
    on_month: OnMonth | None = None,
) -> dict[str, Any]:
    """Simulate both plans on one population and compare them member by member."""
    people = people_of(scenario, months, seed)
    run_a = simulate(plan_a, scenario, months, seed, people=people, on_month=on_month)

    def second(done: int, total: int) -> None:
        if on_month is not None:
            on_month(total + done, total)

    run_b = simulate(plan_b, scenario, months, seed, people=people, on_month=second)
    return comparison(run_a, run_b)

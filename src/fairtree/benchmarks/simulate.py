"""Simulator benchmarks: one long run at 1,000,000 members, and a sweep on a local cluster.

Each returns one JSON-ready line. The plan is the close benchmark's plan
(``close_plan``: unilevel, matching and binary with carry); scenarios are
``scenarios/bench-1m.yaml`` and ``scenarios/bench-100k.yaml``.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from fairtree.benchmarks.close_plan import close_plan
from fairtree.plans.load import parse_plan
from fairtree.simulation.report import build_report
from fairtree.simulation.scenario import load_scenario
from fairtree.simulation.simulate import people_of, simulate

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


def bench_simulate(
    months: int = 36, seed: int = 1, scenario_path: Path | None = None
) -> dict[str, Any]:
    """Grow and close ``months`` months; seconds split into growing and the monthly closes."""
    scenario = load_scenario(scenario_path or SCENARIOS / "bench-1m.yaml")
    plan = parse_plan(close_plan(), "bench close")
    started, cpu_started = time.perf_counter(), time.process_time()
    people = people_of(scenario, months, seed)
    grown = time.perf_counter()
    run = simulate(plan, scenario, months, seed, people=people)
    simulated = time.perf_counter()
    report = build_report(run)
    reported = time.perf_counter()
    return {
        "benchmark": "simulate",
        "members": len(people),
        "months": months,
        "seed": seed,
        "seconds": round(reported - started, 3),
        "cpu_seconds": round(time.process_time() - cpu_started, 3),
        "grow_seconds": round(grown - started, 3),
        "months_seconds": round(simulated - grown, 3),
        "report_seconds": round(reported - simulated, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "total_paid": report["total_paid"],
        "payout_share_of_sales": round(report["payout_share_of_sales"], 4),
        "net_positive_share": round(report["net_positive_share"], 4),
    }


def bench_sweep(
    runs: int = 100, months: int = 24, workers: int = 2, scenario_path: Path | None = None
) -> dict[str, Any]:
    """A sweep of ``runs`` seeds on a local cluster of ``workers`` processes."""
    from fairtree.simulation.sweep import run_sweep

    with tempfile.TemporaryDirectory() as folder:
        plan_path = Path(folder) / "bench-plan.yaml"
        plan_path.write_text(yaml.safe_dump(close_plan()), encoding="utf-8")
        report = run_sweep(
            plan_path,
            scenario_path or SCENARIOS / "bench-100k.yaml",
            runs=runs,
            months=months,
            seed=1,
            workers=workers,
        )
    return {
        "benchmark": "sweep",
        "runs": runs,
        "months": months,
        "workers": report["workers"],
        "batch_size": report["batch_size"],
        "members_median": report["figures"]["ever_joined"]["median"],
        "seconds": report["seconds"],
        "runs_per_minute": report["runs_per_minute"],
        "net_positive_share": report["figures"]["net_positive_share"],
    }

"""Many seeds of one plan and scenario on Dask distributed: medians and 5-95% bands.

A task runs a batch of runs (so task overhead stays small next to the work). It gets
the plan and scenario as parsed YAML (workers on other machines need no files), builds
each run's seed inside the worker as child ``i`` of
``SeedSequence(seed).spawn(runs)``, simulates, and returns a small summary per run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from fairtree.plans.load import parse_plan, read_yaml
from fairtree.simulation.report import build_report
from fairtree.simulation.scenario import load_scenario, parse_scenario
from fairtree.simulation.simulate import simulate

FIGURES = (
    "ever_joined",
    "recruited_nobody_share",
    "net_positive_share",
    "median_net_income",
    "earned_nothing_share",
    "gini_pay",
    "top_1_percent_pay_share",
    "top_10_percent_pay_share",
    "payout_share_of_sales",
    "breakage_share_of_pools",
)


def run_summary(report: dict[str, Any]) -> dict[str, Any]:
    """What a sweep keeps of one run: headline figures and mean pay by joining month."""
    summary: dict[str, Any] = {key: float(report[key]) for key in FIGURES}
    summary["mean_pay_by_join_month"] = {
        row["join_month"]: float(row["mean_pay"]) for row in report["earnings_by_join_month"]
    }
    return summary


def run_batch(
    plan_raw: Any, scenario_raw: Any, months: int, seed: int, runs: int, indices: list[int]
) -> list[dict[str, Any]]:
    """One task: runs ``indices`` of a sweep of ``runs`` seeds (executed on a worker)."""
    plan = parse_plan(plan_raw, "plan")
    scenario = parse_scenario(scenario_raw, "scenario")
    children = np.random.SeedSequence(seed).spawn(runs)
    summaries = []
    for index in indices:
        summary = run_summary(build_report(simulate(plan, scenario, months, children[index])))
        summary["run"] = index
        summaries.append(summary)
    return summaries


def bands(values: list[float]) -> dict[str, float]:
    array = np.asarray(values, dtype=np.float64)
    low, median, high = np.percentile(array, [5, 50, 95])
    return {"median": float(median), "p5": float(low), "p95": float(high)}


def summarize(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians and 5-95% bands over runs, per figure and per joining month."""
    figures = {key: bands([s[key] for s in summaries]) for key in FIGURES}
    months = sorted({m for s in summaries for m in s["mean_pay_by_join_month"]})
    by_month = [
        {
            "join_month": month,
            **bands([s["mean_pay_by_join_month"].get(month, 0.0) for s in summaries]),
        }
        for month in months
    ]
    return {"figures": figures, "mean_pay_by_join_month": by_month}


def run_sweep(
    plan_path: Path,
    scenario_path: Path,
    *,
    runs: int,
    months: int,
    seed: int,
    scheduler: str | None = None,
    workers: int = 2,
    batch: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run ``runs`` seeds of the plan and scenario files (see :func:`sweep_documents`)."""
    load_scenario(scenario_path)  # every problem of the file, named by its path
    return sweep_documents(
        read_yaml(plan_path),
        read_yaml(scenario_path),
        str(plan_path),
        runs=runs,
        months=months,
        seed=seed,
        scheduler=scheduler,
        workers=workers,
        batch=batch,
        on_done=on_done,
    )


def sweep_documents(
    plan_raw: Any,
    scenario_raw: Any,
    plan_source: str,
    *,
    runs: int,
    months: int,
    seed: int,
    scheduler: str | None = None,
    workers: int = 2,
    batch: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run ``runs`` seeds on a Dask cluster (local unless ``scheduler`` is an address);
    the plan and scenario as parsed YAML, which is what each task is sent."""
    from dask.distributed import Client, LocalCluster, as_completed

    scenario = parse_scenario(scenario_raw, "scenario")
    plan_name = parse_plan(plan_raw, plan_source).base.plan.name
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        worker_count = max(1, len(client.scheduler_info()["workers"]))
        size = batch or max(1, math.ceil(runs / (4 * worker_count)))
        groups = [list(range(i, min(i + size, runs))) for i in range(0, runs, size)]
        started = time.perf_counter()
        futures = [
            client.submit(run_batch, plan_raw, scenario_raw, months, seed, runs, group, pure=False)
            for group in groups
        ]
        summaries: list[dict[str, Any]] = []
        for future in as_completed(futures):
            summaries += future.result()
            if on_done is not None:
                on_done(len(summaries))
        seconds = time.perf_counter() - started
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summaries.sort(key=lambda s: s["run"])
    return {
        "plan": plan_name,
        "scenario": scenario.scenario.name,
        "runs": runs,
        "months": months,
        "seed": seed,
        "workers": worker_count,
        "batch_size": size,
        "seconds": round(seconds, 3),
        "runs_per_minute": round(60 * runs / seconds, 2) if seconds > 0 else None,
        **summarize(summaries),
    }

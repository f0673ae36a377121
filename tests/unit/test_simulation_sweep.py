"""Sweeps run on a small local Dask cluster; seeds are spawned inside the workers."""

from pathlib import Path

import numpy as np

from fairtree.plans.load import load_plan, read_yaml
from fairtree.simulation.report import build_report
from fairtree.simulation.scenario import load_scenario
from fairtree.simulation.simulate import simulate
from fairtree.simulation.sweep import run_batch, run_summary, run_sweep

ROOT = Path(__file__).resolve().parents[2]
UNILEVEL = ROOT / "plans" / "unilevel" / "plan.yaml"
REALISTIC = ROOT / "scenarios" / "realistic.yaml"


def test_a_batch_run_is_the_spawned_childs_simulation() -> None:
    summaries = run_batch(read_yaml(UNILEVEL), read_yaml(REALISTIC), 5, 3, 4, [2])
    child = np.random.SeedSequence(3).spawn(4)[2]
    direct = run_summary(
        build_report(simulate(load_plan(UNILEVEL), load_scenario(REALISTIC), 5, child))
    )
    assert summaries[0]["run"] == 2
    assert {k: v for k, v in summaries[0].items() if k != "run"} == direct


def test_sweep_on_a_local_cluster_gives_medians_and_bands() -> None:
    report = run_sweep(UNILEVEL, REALISTIC, runs=4, months=4, seed=5, workers=2, batch=2)
    assert report["runs"] == 4 and report["workers"] == 2 and report["batch_size"] == 2
    for band in report["figures"].values():
        assert band["p5"] <= band["median"] <= band["p95"]
    members = report["figures"]["ever_joined"]
    assert members["p5"] > 0
    expected = [
        run_batch(read_yaml(UNILEVEL), read_yaml(REALISTIC), 4, 5, 4, [i])[0]["ever_joined"]
        for i in range(4)
    ]
    assert members["median"] == float(np.median(expected))
    assert report["mean_pay_by_join_month"][0]["join_month"] == "2026-01"

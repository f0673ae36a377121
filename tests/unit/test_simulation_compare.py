"""A against B on the same simulated people, and Legara et al. (2008) on them:
binary plans concentrate pay on early joiners; unilevel plans much less.

The binary plan is the benchmark plan's binary bonus on its own (weak leg 10%, carry,
caps of 500.00 and 5,000.00 by rank); the unilevel plan is plans/unilevel.
"""

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from fairtree.benchmarks.close_plan import close_plan
from fairtree.cli.main import app
from fairtree.plans.load import load_plan, parse_plan
from fairtree.simulation.compare import comparison
from fairtree.simulation.scenario import load_scenario
from fairtree.simulation.simulate import SimulationRun, people_of, simulate

ROOT = Path(__file__).resolve().parents[2]
UNILEVEL = ROOT / "plans" / "unilevel" / "plan.yaml"
BINARY = ROOT / "plans" / "binary-hybrid" / "plan.yaml"
UNIFORM = ROOT / "scenarios" / "uniform-no-churn.yaml"
REALISTIC = ROOT / "scenarios" / "realistic.yaml"
MARGIN = 0.15  # binary's earliest-tenth share of pay exceeds unilevel's by at least this


def bench_binary_plan():
    document = close_plan(with_binary=True)
    document["bonuses"] = [b for b in document["bonuses"] if b["kind"] == "binary"]
    return parse_plan(document, "bench binary")


def earliest_tenth_share(run: SimulationRun) -> float:
    tenth = len(run.people) // 10
    return float(run.pay[:tenth].sum() / run.pay.sum())


@pytest.fixture(scope="module")
def legara_runs() -> tuple[SimulationRun, SimulationRun]:
    scenario = load_scenario(UNIFORM)
    scenario = scenario.model_copy(
        update={"market": scenario.market.model_copy(update={"size": 20_000})}
    )
    people = people_of(scenario, 18, 11)
    binary = simulate(bench_binary_plan(), scenario, 18, 11, people=people)
    unilevel = simulate(load_plan(UNILEVEL), scenario, 18, 11, people=people)
    return binary, unilevel


def test_binary_pay_is_more_concentrated_on_early_joiners_than_unilevel(legara_runs) -> None:
    binary, unilevel = legara_runs
    assert binary.people is unilevel.people
    assert earliest_tenth_share(binary) > earliest_tenth_share(unilevel) + MARGIN


def test_comparison_counts_every_member_once(legara_runs) -> None:
    binary, unilevel = legara_runs
    report = comparison(unilevel, binary)
    change = binary.pay - unilevel.pay
    assert report["gainers"]["members"] == int((change > 0).sum())
    assert report["losers"]["members"] == int((change < 0).sum())
    shares = report["gainers"]["share"] + report["losers"]["share"] + report["unchanged_share"]
    assert shares == pytest.approx(1)
    assert sum(row["members"] for row in report["by_join_month"]) == len(binary.people)
    assert sum(row["members"] for row in report["by_rank_under_a"]) == len(binary.people)
    total = sum(int(row["total_pay_change"].replace(".", "")) for row in report["by_join_month"])
    assert total == int(change.sum())


def test_same_seed_same_people_for_both_plans() -> None:
    scenario = load_scenario(REALISTIC)
    a = simulate(load_plan(UNILEVEL), scenario, 6, 21)
    b = simulate(load_plan(BINARY), scenario, 6, 21)
    assert np.array_equal(a.people.sponsor, b.people.sponsor)
    assert np.array_equal(a.people.left_month, b.people.left_month)


def test_cli_compare_html_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["simulate", "compare", str(UNILEVEL), str(BINARY), "--scenario", str(REALISTIC)]
    result = runner.invoke(app, [*args, "--months", "6", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"plan_b": "Binary hybrid"' in result.stdout
    page = tmp_path / "c.html"
    result = runner.invoke(app, [*args, "--months", "6", "--format", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_text().count("<svg") == 1

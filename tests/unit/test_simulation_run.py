"""The simulator runs the close's engine month by month; reports are exact and seeded."""

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from fairtree.cli.main import app
from fairtree.engine import evaluate
from fairtree.plans.load import load_plan
from fairtree.simulation.report import build_report, gini, top_share
from fairtree.simulation.scenario import load_scenario
from fairtree.simulation.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
UNILEVEL = ROOT / "plans" / "unilevel" / "plan.yaml"
BINARY = ROOT / "plans" / "binary-hybrid" / "plan.yaml"
REALISTIC = ROOT / "scenarios" / "realistic.yaml"
ISSUE_KEYS = {
    "ever_joined",
    "recruited_nobody_share",
    "recruits_distribution",
    "net_positive_share",
    "median_net_income",
    "gini_pay",
    "top_1_percent_pay_share",
    "top_10_percent_pay_share",
    "payout_share_of_sales",
    "breakage",
    "earnings_by_join_month",
    "seed",
}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(REALISTIC)


def test_same_seed_same_report_other_seed_other_people(scenario) -> None:
    plan = load_plan(BINARY)
    first = build_report(simulate(plan, scenario, 8, 3))
    again = build_report(simulate(plan, scenario, 8, 3))
    other = build_report(simulate(plan, scenario, 8, 4))
    assert first == again
    assert (
        first["ever_joined"] != other["ever_joined"] or first["total_paid"] != other["total_paid"]
    )


def test_pay_per_member_adds_up_to_what_each_month_paid(scenario) -> None:
    run = simulate(load_plan(UNILEVEL), scenario, 10, 5)
    assert int(run.pay.sum()) == sum(run.totals.paid)
    assert int(run.pay_by_year.sum()) == sum(run.totals.paid)
    assert int(run.purchases.sum()) > 0
    assert (run.net == run.pay + run.retail_margin - run.purchases - run.expenses).all()
    # monthly expenses of 15.00 for every member-month present
    assert int(run.expenses.sum()) == 1500 * sum(run.totals.present)
    assert sum(run.totals.present) == int(
        sum(run.people.present(m).sum() for m in range(run.months))
    )


def test_last_month_pay_is_the_engines_pay_for_that_month(scenario) -> None:
    """The simulator adds nothing of its own: re-evaluating the kept month gives its pay."""
    plan = load_plan(BINARY)
    run = simulate(plan, scenario, 6, 2, keep_last_input=True)
    assert run.last_input is not None and run.last_period is not None
    again = evaluate(run.last_input, plan, run.last_period)
    assert again.total_paid() == run.totals.paid[-1]


def test_report_has_the_documented_keys_and_consistent_figures(scenario) -> None:
    report = build_report(simulate(load_plan(UNILEVEL), scenario, 12, 1))
    assert set(report) >= ISSUE_KEYS
    assert report["seed"] == 1
    assert abs(sum(report["recruits_distribution"].values()) - 1) < 1e-9
    assert sum(row["members"] for row in report["earnings_by_join_month"]) == report["ever_joined"]
    assert sum(row["members"] for row in report["net_income_histogram"]) == report["ever_joined"]
    assert 0 <= report["gini_pay"] <= 1
    assert report["top_1_percent_pay_share"] <= report["top_10_percent_pay_share"] <= 1
    disclosure = report["income_disclosure"]
    assert disclosure["participants"] <= report["ever_joined"]
    assert sum(b["participants"] for b in disclosure["brackets"]) == disclosure["participants"]


def test_inequality_measures_on_known_values() -> None:
    assert gini(np.array([5, 5, 5, 5])) == 0
    assert gini(np.array([0, 0, 0, 10])) == pytest.approx(0.75)
    assert top_share(np.array([1] * 99 + [101]), 0.01) == pytest.approx(101 / 200)


def test_cli_writes_json_csv_and_html(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["simulate", str(UNILEVEL), "--scenario", str(REALISTIC), "--months", "6", "--seed", "9"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= ISSUE_KEYS
    assert report["fake_accounts"]["strategies"][0]["members_tried"] > 0
    result = runner.invoke(app, [*args, "--format", "csv", "--no-fake-accounts"])
    assert result.exit_code == 0
    assert "payout_share_of_sales," in result.stdout
    page = tmp_path / "r.html"
    result = runner.invoke(app, [*args, "--format", "html", "-o", str(page)])
    assert result.exit_code == 0
    text = page.read_text()
    # the report's three charts, and the simulated statement's two, as in a real one
    assert text.count("<svg") == 5 and "Simulated income disclosure" in text
    assert "income disclosure statement</h3>" in text and "Paid nothing:" in text


def test_cli_refuses_a_bad_scenario_with_path_and_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: {name: x}\nproducts: []\nchurn: {later: 0.1}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["simulate", str(UNILEVEL), "--scenario", str(bad)])
    assert result.exit_code == 2
    assert "churn.later" in result.output and "unknown key" in result.output
    assert "products" in result.output


def test_the_simulated_disclosure_is_the_statement_in_the_same_layout(scenario) -> None:
    """The same code and keys as the company's statement, over everyone of the last year."""
    from fairtree.disclosure.render import statement_data
    from fairtree.simulation.simulated_disclosure import simulated_statement
    from tests.factories import sample_statement

    run = simulate(load_plan(UNILEVEL), scenario, 14, 2)
    disclosure = build_report(run)["income_disclosure"]
    assert list(disclosure) == list(statement_data(sample_statement()))
    # 14 months: the last full year is months 1 to 12, everyone who was a member in it
    year = (run.people.join_month <= 11) & (run.people.left_month > 0)
    assert disclosure["participants"] == int(year.sum())
    assert disclosure["paid_nothing"] == int((run.pay_by_year[0][year] <= 0).sum())
    assert len(disclosure["range"]["months"]) == 12 and disclosure["runs"] == []
    assert "simulated" in disclosure["company"]
    assert disclosure == statement_data(simulated_statement(run))


def test_the_simulated_disclosure_counts_retention_by_joining_cohort(scenario) -> None:
    """Of those who joined in a year, how many were still members 12 months on."""
    run = simulate(load_plan(UNILEVEL), scenario, 26, 3)
    retention = build_report(run)["income_disclosure"]["retention"]
    assert retention, "a 26-month run has cohorts whose 12-month mark falls in its last year"
    join, left = run.people.join_month.astype(int), run.people.left_month.astype(int)
    start_year = scenario.start.year
    for row in retention:
        mark = join + row["months_after"]
        cohort = (start_year + join // 12 == row["joined_in"]) & (mark >= 12) & (mark <= 23)
        assert row["members"] == int(cohort.sum())
        assert row["still_members"] == int((cohort & (left >= mark)).sum())
        assert 0 <= row["still_buying"] <= row["still_members"]

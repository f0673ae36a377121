"""Scenario files are validated like plans: every key checked, every problem reported."""

from pathlib import Path

import pytest

from fairtree.simulation.scenario import ScenarioError, load_scenario, parse_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PRODUCT = {"sku": "a", "member_price": "40.00", "retail_price": "50.00", "pv": 40, "bv": 30}


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_example_scenarios_load(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.scenario.name
    assert scenario.products


def test_every_problem_has_its_path_and_reason() -> None:
    raw = {
        "scenario": {"name": "x"},
        "recruitment": {"model": "viral", "monthly_rat": 0.3},
        "churn": {"first_year_monthly": 1.5},
        "products": [dict(PRODUCT, member_price="-1")],
    }
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(raw, "s.yaml")
    found = {(p.location, p.reason.split(";")[0]) for p in caught.value.problems}
    locations = {location for location, _ in found}
    assert "recruitment.model" in locations
    assert ("recruitment.monthly_rat", "unknown key") in found
    assert "churn.first_year_monthly" in locations
    assert "products[0].member_price" in locations
    assert all(p.source == "s.yaml" for p in caught.value.problems)


def test_unknown_sku_reference_is_refused() -> None:
    raw = {"scenario": {"name": "x"}, "products": [PRODUCT], "ordering": {"starter_kit": "kit"}}
    with pytest.raises(ScenarioError, match="unknown sku 'kit'"):
        parse_scenario(raw, "s.yaml")


def test_start_must_be_a_month_start_and_yaml_must_parse(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="first day of a month"):
        parse_scenario(
            {"scenario": {"name": "x"}, "start": "2026-01-05", "products": [PRODUCT]}, "s"
        )
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(bad)

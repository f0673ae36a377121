"""Simulations as background jobs on the database (SQLite and PostgreSQL): the form is
checked before anything is queued, a worker runs the job outside the request, and the
stored report is the one the simulator gives for the same plan, scenario and seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import fairtree.services.simulation.jobs  # noqa: F401  (registers the simulation job kinds)
from fairtree.errors import ValidationError
from fairtree.plans.load import parse_yaml_text
from fairtree.services.access.principal import Principal
from fairtree.services.commissions.whatif import parse_draft
from fairtree.services.jobs import run_one, submit, view
from fairtree.services.simulation.requests import SimulationForm, Source, prepare
from fairtree.simulation.compare import compare_plans
from fairtree.simulation.report import build_report
from fairtree.simulation.scenario import parse_scenario
from fairtree.simulation.simulate import simulate
from fairtree.store.database import make_session_factory, session_scope
from tests.factories import seed_company
from tests.factories.ledger import PLAN_YAML

ADMIN = Principal(1, "admin@x", "admin", None, None, "session", 1)
TINY = """\
scenario: {name: Tiny test company}
start: 2026-01-01
starting_members: 5
recruitment: {model: uniform, monthly_rate: 0.5}
market: {size: 200}
churn: {first_year_monthly: 0.05, later_monthly: 0.02}
products:
  - {sku: unit, member_price: "50.00", retail_price: "65.00", pv: 50, bv: 50}
"""


@pytest.fixture
def scenarios(tmp_path: Path) -> Path:
    (tmp_path / "tiny.yaml").write_text(TINY)
    return tmp_path


def _form(kind: str = "run", **changes: object) -> SimulationForm:
    values: dict[str, object] = {
        "kind": kind,
        "plan": Source("v1", ""),
        "scenario": Source("tiny", ""),
        "months": "4",
        "seed": "3",
        "runs": "",
    }
    values.update(changes)
    return SimulationForm(**values)  # type: ignore[arg-type]


def test_every_problem_of_the_form_is_named_before_anything_is_queued(
    session: Session, scenarios: Path
) -> None:
    seed_company(session)
    bad_plan = PLAN_YAML.replace("kind: unilevel", "kind: no_such_kind")
    with pytest.raises(ValidationError) as refused:
        prepare(
            session,
            _form(
                "sweep",
                plan=Source("", bad_plan),
                scenario=Source("", "start: [1"),
                months="0",
                runs="1",
            ),
            scenarios,
        )
    named = {p.field: p.reason for p in refused.value.problems}
    assert named["months"] == "a whole number 1 to 120"
    assert named["runs"] == "a whole number 2 to 1000"
    assert named["plan bonuses[0]"].startswith("unknown bonus kind")
    assert [f for f in named if f.startswith("scenario")] == ["scenario line 1"], named
    with pytest.raises(ValidationError) as unknown:
        prepare(session, _form(plan=Source("v9", ""), scenario=Source("../etc/x", "")), scenarios)
    assert [(p.field, p.reason) for p in unknown.value.problems] == [
        ("plan", "no such plan version"),
        ("scenario", "choose an example or give its YAML"),
    ]


def test_a_simulation_job_stores_the_simulators_report(committing_engine, scenarios: Path) -> None:
    factory = make_session_factory(committing_engine)
    with session_scope(committing_engine) as session:
        seed_company(session)
        kind, params = prepare(session, _form(), scenarios)
        assert kind == "simulation" and params["plan_label"] == "plan version v1"
        assert params["scenario_label"] == "scenarios/tiny.yaml"
        first = submit(session, ADMIN, kind, params, "form-1").id
        assert submit(session, ADMIN, kind, params, "form-1").id == first  # one job per form
    assert run_one(factory) == first
    with session_scope(committing_engine) as session:
        job = view(session, first)
    assert job.status == "done", job.error
    report = job.result["report"]  # type: ignore[index]
    scenario = parse_scenario(parse_yaml_text(TINY, "tiny", "scenario"), "tiny")
    expected = build_report(simulate(parse_draft(PLAN_YAML), scenario, 4, 3))
    for key in ("ever_joined", "median_net_income", "net_positive_share", "total_paid",
                "gini_pay", "seed"):  # fmt: skip
        assert report[key] == expected[key], key
    assert report["plan_source"] == "plan version v1" and "fake_accounts" in report


def test_a_comparison_job_compares_a_and_b_on_the_same_people(
    committing_engine, scenarios: Path
) -> None:
    factory = make_session_factory(committing_engine)
    richer = PLAN_YAML.replace('rates: ["10%", "5%"]', 'rates: ["20%", "5%"]')
    assert richer != PLAN_YAML
    with session_scope(committing_engine) as session:
        seed_company(session)
        kind, params = prepare(session, _form("compare", plan_b=Source("", richer)), scenarios)
        job_id = submit(session, ADMIN, kind, params, "form-2").id
    assert run_one(factory) == job_id
    with session_scope(committing_engine) as session:
        job = view(session, job_id)
    assert job.status == "done", job.error
    report = job.result["report"]  # type: ignore[index]
    scenario = parse_scenario(parse_yaml_text(TINY, "tiny", "scenario"), "tiny")
    expected = compare_plans(parse_draft(PLAN_YAML), parse_draft(richer), scenario, 4, 3)
    assert report["total_pay_change"] == expected["total_pay_change"]
    assert report["losers"]["share"] == 0.0 and report["gainers"]["share"] > 0


@pytest.mark.slow
def test_a_sweep_job_runs_on_a_local_cluster(committing_engine, scenarios: Path) -> None:
    factory = make_session_factory(committing_engine)
    with session_scope(committing_engine) as session:
        seed_company(session)
        kind, params = prepare(session, _form("sweep", runs="2", months="3"), scenarios)
        job_id = submit(session, ADMIN, kind, {**params, "workers": 1}, "form-3").id
    assert run_one(factory) == job_id
    with session_scope(committing_engine) as session:
        job = view(session, job_id)
    assert job.status == "done", job.error
    report = job.result["report"]  # type: ignore[index]
    assert report["runs"] == 2 and report["months"] == 3 and report["workers"] == 1
    assert set(report["figures"]["ever_joined"]) == {"median", "p5", "p95"}

"""The simulation jobs a worker runs. Each returns ``{"report": ...}``: the same report
the CLI writes as JSON, kept with the job so its page and files read it back."""

from __future__ import annotations

from typing import Any

from fairtree.plans.load import parse_yaml_text
from fairtree.services.commissions.whatif import parse_draft
from fairtree.services.jobs import JobContext, register
from fairtree.simulation.compare import compare_plans
from fairtree.simulation.false_name import fake_account_check
from fairtree.simulation.report import build_report
from fairtree.simulation.scenario import Scenario, parse_scenario
from fairtree.simulation.simulate import simulate
from fairtree.simulation.sweep import sweep_documents

SWEEP_WORKERS = 2


def _scenario(params: dict[str, Any]) -> Scenario:
    label = params["scenario_label"]
    return parse_scenario(parse_yaml_text(params["scenario_yaml"], label, "scenario"), label)


class _Months:
    """Turns the simulator's (done, total) callback into progress units."""

    def __init__(self, context: JobContext, stage: str, total: int) -> None:
        self.context, self.done = context, 0
        context.progress.stage(stage, total)

    def __call__(self, done: int, total: int) -> None:
        if done > self.done:
            self.context.progress.advance(done - self.done)
            self.done = done


def _labelled(report: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    return {
        **report,
        "plan_source": params["plan_label"],
        "scenario_source": params["scenario_label"],
    }


def simulation_job(context: JobContext) -> dict[str, Any]:
    """params: plan_yaml, plan_label, scenario_yaml, scenario_label, months, seed."""
    params = context.params
    plan = parse_draft(params["plan_yaml"], params["plan_label"])
    months, seed = int(params["months"]), int(params["seed"])
    on_month = _Months(context, "simulating month by month", months)
    run = simulate(plan, _scenario(params), months, seed, on_month=on_month, keep_last_input=True)
    context.progress.stage("writing the report", None)
    report = build_report(run)
    report["fake_accounts"] = fake_account_check(plan, run)
    return {"report": _labelled(report, params)}


def comparison_job(context: JobContext) -> dict[str, Any]:
    """params: as a simulation, plus plan_b_yaml and plan_b_label."""
    params = context.params
    plan_a = parse_draft(params["plan_yaml"], params["plan_label"])
    plan_b = parse_draft(params["plan_b_yaml"], params["plan_b_label"])
    months, seed = int(params["months"]), int(params["seed"])
    on_month = _Months(context, "simulating A, then B", 2 * months)
    report = compare_plans(
        plan_a, plan_b, _scenario(params), months, seed, on_month=lambda d, t: on_month(d, 2 * t)
    )
    report["plan_b_source"] = params["plan_b_label"]
    return {"report": _labelled(report, params)}


def sweep_job(context: JobContext) -> dict[str, Any]:
    """params: as a simulation, plus runs; on a local Dask cluster of two workers."""
    params = context.params
    label = params["plan_label"]
    plan_raw = parse_yaml_text(params["plan_yaml"], label, "plan")
    scenario_raw = parse_yaml_text(params["scenario_yaml"], params["scenario_label"], "scenario")
    runs = int(params["runs"])
    context.progress.stage("starting the cluster", None)
    done = [0]

    def on_done(count: int) -> None:
        if done[0] == 0:
            context.progress.stage("runs", runs)
        context.progress.advance(count - done[0])
        done[0] = count

    report = sweep_documents(
        plan_raw,
        scenario_raw,
        label,
        runs=runs,
        months=int(params["months"]),
        seed=int(params["seed"]),
        workers=int(params.get("workers", SWEEP_WORKERS)),
        on_done=on_done,
    )
    return {"report": _labelled(report, params)}


register("simulation", simulation_job)
register("simulation_compare", comparison_job)
register("simulation_sweep", sweep_job)

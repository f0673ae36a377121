"""The commission jobs a worker runs: close a period, what-if a draft plan, and try a
stored plan version on plan-test cases."""

from __future__ import annotations

from typing import Any

from fairtree.services.commissions import period_actions
from fairtree.services.commissions.plan_case_runs import CaseText, run_version_cases
from fairtree.services.commissions.whatif import what_if
from fairtree.services.jobs import JobContext, register


def close_job(context: JobContext) -> dict[str, Any]:
    """params: period, reason."""
    result = period_actions.close(
        context.session,
        context.actor,
        context.params["period"],
        context.params.get("reason", ""),
        context.progress,
    )
    return {
        "run_id": result.run_id,
        "period": result.period_key,
        "lines": result.lines,
        "adjustments": result.adjustments,
        "total_paid": result.total_paid,
        "total_adjustments": result.total_adjustments,
        "replaced_draft": result.replaced_draft,
    }


def what_if_job(context: JobContext) -> dict[str, Any]:
    """params: period, yaml_text, name. Read-only: nothing is written but the result."""
    return what_if(
        context.session,
        context.params["period"],
        context.params["yaml_text"],
        context.params.get("name") or "draft plan",
        context.progress,
    )


def plan_cases_job(context: JobContext) -> dict[str, Any]:
    """params: version, cases (a list of {name, text}). Read-only."""
    cases = [CaseText(str(c["name"]), str(c["text"])) for c in context.params["cases"]]
    return run_version_cases(context.session, context.params["version"], cases, context.progress)


register("close", close_job)
register("what_if", what_if_job)
register("plan_cases", plan_cases_job)

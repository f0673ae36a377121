"""Console plan simulator: run a simulation, a sweep of seeds or plan A against B as a
background job (services/jobs), watch its progress (the page survives a reload, works
without script and updates in place with it), read its report and download it as
HTML, JSON or CSV: the files ``fairtree simulate`` writes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.datastructures import UploadFile

import fairtree.services.simulation.jobs  # noqa: F401  (registers the simulation job kinds)
from fairtree.api.deps import DbSession
from fairtree.api.params import RowId
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.services import jobs
from fairtree.services.commissions import plan_versions
from fairtree.services.jobs.runner import JobView
from fairtree.services.simulation.requests import (
    KINDS,
    MAX_MONTHS,
    MAX_YAML_CHARACTERS,
    SimulationForm,
    Source,
    example_scenarios,
    prepare,
)
from fairtree.simulation import report_files
from fairtree.web.console.staff import AdminPage, act, failure_problems, page
from fairtree.web.page_auth import PageForm

router = APIRouter(prefix="/console/simulations", include_in_schema=False)

JOB_KINDS = tuple(KINDS.values())
FIELDS = ("kind", "plan_version", "plan_yaml", "scenario", "scenario_yaml", "months", "seed",
          "runs", "plan_b_version", "plan_b_yaml")  # fmt: skip
DEFAULTS = {"kind": "run", "scenario": "realistic", "months": "24", "seed": "1", "runs": "20"}
WRITERS = {
    "simulation": (report_files.to_json, report_files.to_csv, report_files.to_html),
    "simulation_compare": (
        report_files.to_json,
        report_files.to_csv,
        lambda r: report_files.write_comparison(r, "html"),
    ),
    "simulation_sweep": (
        report_files.to_json,
        report_files.to_csv,
        lambda r: report_files.write_sweep(r, "html"),
    ),
}
BODIES = {
    "simulation": report_files.report_body,
    "simulation_compare": report_files.comparison_body,
    "simulation_sweep": report_files.sweep_body,
}


def _form_page(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    status: int = 200,
    problems: list[str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    recent = [
        job for kind in JOB_KINDS for job in jobs.runner.recent(session, kind, 10)
    ]  # newest first within each kind
    recent.sort(key=lambda job: job.created_at, reverse=True)
    versions = plan_versions.list_versions(session)
    newest = max(versions, key=lambda v: v.effective_from).version if versions else ""
    return page(
        request,
        staff,
        "console/simulations.html",
        status,
        values={**DEFAULTS, "plan_version": newest, **(values or {})},
        versions=versions,
        scenarios=example_scenarios(),
        recent=recent[:15],
        max_months=MAX_MONTHS,
        problems=problems,
    )


@router.get("", response_class=HTMLResponse)
def simulations_page(request: Request, staff: AdminPage, session: DbSession) -> HTMLResponse:
    return _form_page(request, staff, session)


async def _uploads(request: Request) -> dict[str, str]:
    """Uploaded YAML files of the form (plan_file, scenario_file, plan_b_file) as text."""
    texts: dict[str, str] = {}
    form = await request.form()
    for field in ("plan_file", "scenario_file", "plan_b_file"):
        upload = form.get(field)
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        data = await upload.read(MAX_YAML_CHARACTERS * 4 + 1)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                [Problem("simulation", upload.filename, field, "a YAML file in UTF-8")]
            ) from None
        texts[field.removesuffix("_file") + "_yaml"] = text
    return texts


@router.post("", response_class=HTMLResponse)
async def start(request: Request, form: PageForm, staff: AdminPage, session: DbSession) -> Response:
    """Check the plan(s) and scenario at once (every problem shown), then queue the job;
    the same form sent twice queues one job."""
    values = {name: form.get(name, "") for name in FIELDS}
    try:
        values.update(await _uploads(request))
    except ValidationError as error:
        return _form_page(request, staff, session, 422, failure_problems(error), values)

    def run() -> str:
        kind, params = prepare(
            session,
            SimulationForm(
                kind=values["kind"],
                plan=Source(values["plan_version"], values["plan_yaml"]),
                scenario=Source(values["scenario"], values["scenario_yaml"]),
                months=values["months"],
                seed=values["seed"],
                runs=values["runs"],
                plan_b=Source(values["plan_b_version"], values["plan_b_yaml"]),
            ),
        )
        job = jobs.submit(session, staff, kind, params, form.get("form_token", ""))
        return f"/console/simulations/{job.id}"

    return act(
        request,
        session,
        staff,
        form,
        run,
        lambda problems: _form_page(request, staff, session, problems=problems, values=values),
    )


def _job(session: DbSession, job_id: int) -> JobView:
    job = jobs.view(session, job_id)
    if job.kind not in JOB_KINDS:
        raise NotFoundError(f"no such simulation: {job_id}")
    return job


def _report(job: JobView) -> dict[str, Any]:
    if job.status != "done" or not job.result or "report" not in job.result:
        raise NotFoundError(f"simulation {job.id} has no report (it is {job.status})")
    report: dict[str, Any] = job.result["report"]
    return report


@router.get("/{job_id}", response_class=HTMLResponse)
def simulation_page(
    request: Request, job_id: RowId, staff: AdminPage, session: DbSession
) -> HTMLResponse:
    """The job's progress while it runs (refreshing itself without script, updated in
    place with it); its report once done."""
    job = _job(session, job_id)
    body = None
    if job.status == "done":
        # the report's HTML, rendered by the simulation's templates (autoescaped)
        body = Markup(BODIES[job.kind](_report(job)))  # noqa: S704
    return page(
        request,
        staff,
        "console/simulation.html",
        job=job,
        body=body,
        parameters={k: v for k, v in job.params.items() if not k.endswith("_yaml")},
    )


@router.get("/{job_id}/report.{fmt}")
def download(job_id: RowId, fmt: str, staff: AdminPage, session: DbSession) -> Response:
    job = _job(session, job_id)
    report = _report(job)
    to_json, to_csv, to_html = WRITERS[job.kind]
    writers = {
        "json": ("application/json", to_json),
        "csv": ("text/csv; charset=utf-8", to_csv),
        "html": ("text/html; charset=utf-8", to_html),
    }
    if fmt not in writers:
        raise NotFoundError(f"no format {fmt!r}: use html, json or csv")
    media_type, writer = writers[fmt]
    return Response(
        writer(report),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="simulation-{job.id}.{fmt}"'},
    )

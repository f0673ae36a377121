"""Console plan pages: versions with their dates, one version's text, upload a new one
(every problem shown as path and reason), a version tried on plan-test cases, and what-if
of a draft over a closed period."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession, get_settings
from fairtree.api.params import RecordId, RowId
from fairtree.config import Settings
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.services import jobs
from fairtree.services.clock import utcnow
from fairtree.services.commissions import period_board, plan_case_runs, plan_versions
from fairtree.services.commissions.whatif import parse_draft
from fairtree.web.console.staff import AdminPage, ConfirmedAction, page
from fairtree.web.page_auth import PageForm

router = APIRouter(prefix="/console/plans", include_in_schema=False)
AppSettings = Annotated[Settings, Depends(get_settings)]


def _finalized(session: DbSession) -> list[str]:
    return [
        r.key for r in period_board.period_rows(session, utcnow().date()) if r.state == "finalized"
    ]


def _plans_page(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    status: int = 200,
    problems: list[str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    versions = plan_versions.list_versions(session)
    return page(
        request,
        staff,
        "console/plans.html",
        status,
        versions=versions,
        finalized=_finalized(session),
        values=values or {},
        whatifs=jobs.runner.recent(session, "what_if", 10),
        problems=problems,
    )


def _plans_action(
    request: Request, staff: AdminPage, session: DbSession, values: dict[str, str]
) -> ConfirmedAction:
    """Uploads and what-ifs are asked from the plans page (shown again with the values)."""
    return ConfirmedAction(
        request,
        session,
        staff,
        lambda problems: _plans_page(request, staff, session, problems=problems, values=values),
    )


@router.get("", response_class=HTMLResponse)
def plans_page(request: Request, staff: AdminPage, session: DbSession) -> HTMLResponse:
    return _plans_page(request, staff, session)


def _version_page(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    settings: Settings,
    version: str,
    status: int = 200,
    problems: list[str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    row = plan_versions.version_named(session, version)
    runs = [
        j
        for j in jobs.runner.recent(session, "plan_cases", 50)
        if j.params.get("version") == row.version
    ][:10]
    return page(
        request,
        staff,
        "console/plan_version.html",
        status,
        version=row,
        folders=plan_case_runs.case_folders(settings.plan_cases_dir),
        case_runs=runs,
        values=values or {},
        problems=problems,
    )


@router.get("/versions/{version}", response_class=HTMLResponse)
def version_page(
    request: Request, version: RecordId, staff: AdminPage, session: DbSession, settings: AppSettings
) -> HTMLResponse:
    return _version_page(request, staff, session, settings, version)


@router.post("/versions/{version}/cases", response_class=HTMLResponse)
def run_cases(
    request: Request,
    version: RecordId,
    form: PageForm,
    staff: AdminPage,
    session: DbSession,
    settings: AppSettings,
) -> Response:
    """Queue a run of plan-test cases (a library folder, or pasted) under this version."""
    row = plan_versions.version_named(session, version)
    values = {k: form.get(k, "") for k in ("folder", "cases_text")}

    def run() -> str:
        if values["folder"].strip():
            cases = plan_case_runs.folder_cases(settings.plan_cases_dir, values["folder"].strip())
        else:
            cases = plan_case_runs.pasted_cases(values["cases_text"])
        if not cases:
            raise ValidationError(
                [
                    Problem(
                        "plan cases", row.version, "cases_text", "choose a folder or paste a case"
                    )
                ]
            )
        job = jobs.submit(
            session,
            staff,
            "plan_cases",
            {"version": row.version, "cases": [{"name": c.name, "text": c.text} for c in cases]},
            form.get("form_token", ""),
        )
        return f"/console/jobs/{job.id}"

    asked_from = ConfirmedAction(
        request,
        session,
        staff,
        lambda problems: _version_page(
            request, staff, session, settings, row.version, problems=problems, values=values
        ),
    )
    return asked_from.submit(form, run)


@router.get("/cases/{job_id}", response_class=HTMLResponse)
def cases_result(
    request: Request, job_id: RowId, staff: AdminPage, session: DbSession
) -> HTMLResponse:
    job = jobs.view(session, job_id, kind="plan_cases")
    return page(request, staff, "console/plan_cases.html", job=job, result=job.result)


@router.post("/versions", response_class=HTMLResponse)
def upload(request: Request, form: PageForm, staff: AdminPage, session: DbSession) -> Response:
    """Store a new version after validation; the same form twice stores it once."""
    values = {k: form.get(k, "") for k in ("version", "effective_from", "yaml_text", "reason")}

    def run() -> str:
        try:
            effective = date.fromisoformat(values["effective_from"].strip())
        except ValueError:
            raise ValidationError(
                [Problem("plan version", values["version"], "effective_from", "use YYYY-MM-DD")]
            ) from None
        if not values["reason"].strip():
            raise ValidationError(
                [Problem("plan version", values["version"], "reason", "is required")]
            )
        row = plan_versions.upload(
            session,
            staff,
            values["version"].strip(),
            effective,
            values["yaml_text"],
            values["reason"].strip(),
        )
        return f"/console/plans/versions/{row.version}"

    return _plans_action(request, staff, session, values).submit(form, run)


@router.post("/whatif", response_class=HTMLResponse)
def what_if(request: Request, form: PageForm, staff: AdminPage, session: DbSession) -> Response:
    """Queue a what-if: the draft (pasted, or a stored version) against the version in force
    on a finalized period. The draft is checked first, so plan errors show at once."""
    values = {k: form.get(k, "") for k in ("period", "draft_version", "yaml_text", "name")}

    def run() -> str:
        text, name = values["yaml_text"], values["name"].strip() or "draft plan"
        if values["draft_version"].strip():
            try:
                row = plan_versions.version_named(session, values["draft_version"].strip())
            except NotFoundError:
                raise ValidationError(
                    [Problem("what-if", "", "draft_version", "no such version")]
                ) from None
            text, name = row.yaml_text, f"version {row.version}"
        if values["period"] not in _finalized(session):
            raise ValidationError([Problem("what-if", "", "period", "choose a finalized period")])
        parse_draft(text, name)
        job = jobs.submit(
            session,
            staff,
            "what_if",
            {"period": values["period"], "yaml_text": text, "name": name},
            form.get("form_token", ""),
        )
        return f"/console/jobs/{job.id}"

    return _plans_action(request, staff, session, values).submit(form, run)


@router.get("/whatif/{job_id}", response_class=HTMLResponse)
def what_if_result(
    request: Request, job_id: RowId, staff: AdminPage, session: DbSession
) -> HTMLResponse:
    job = jobs.view(session, job_id, kind="what_if")
    return page(request, staff, "console/whatif.html", job=job, summary=job.result)

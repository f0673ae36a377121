"""Console period pages: the list, close as a background job, review with drill-down,
approval, finalize with the exchange-rate snapshot, corrections waiting."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession
from fairtree.api.params import MemberId, RowId
from fairtree.errors import FairtreeError, NotFoundError, Problem, ValidationError
from fairtree.periods import Period
from fairtree.services import jobs
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.clock import utcnow
from fairtree.services.commissions import period_actions, period_board, statements
from fairtree.services.commissions.exchange_rates import parse_rates
from fairtree.services.commissions.review import review_run
from fairtree.web.console.staff import (
    AdminPage,
    ConfirmedAction,
    failure_problems,
    page,
    redirect,
)
from fairtree.web.page_auth import PageForm

router = APIRouter(prefix="/console", include_in_schema=False)


def _period_key(text: str) -> str:
    try:
        return Period.parse(text).key
    except ValueError:
        raise NotFoundError(f"no such period: {text}") from None


def _periods_page(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    status: int = 200,
    problems: list[str] | None = None,
) -> HTMLResponse:
    return page(
        request,
        staff,
        "console/periods.html",
        status,
        rows=period_board.period_rows(session, utcnow().date()),
        waiting=period_board.waiting_corrections(session),
        jobs_recent=jobs.runner.recent(session, "close", 5),
        problems=problems,
    )


def _periods_action(request: Request, staff: AdminPage, session: DbSession) -> ConfirmedAction:
    """Closes and the approval rule are asked from the periods page."""
    return ConfirmedAction(
        request,
        session,
        staff,
        lambda problems: _periods_page(request, staff, session, problems=problems),
    )


def _review_action(
    request: Request, staff: AdminPage, session: DbSession, key: str
) -> ConfirmedAction:
    """Approvals and finalizes are asked from the period's review."""
    return ConfirmedAction(
        request,
        session,
        staff,
        lambda problems: _review(request, staff, session, key, problems=problems),
    )


@router.get("/periods", response_class=HTMLResponse)
def periods_page(request: Request, staff: AdminPage, session: DbSession) -> HTMLResponse:
    return _periods_page(request, staff, session)


@router.post("/periods/close", response_class=HTMLResponse)
def close(request: Request, form: PageForm, staff: AdminPage, session: DbSession) -> Response:
    """Queue the close of a period; the job page shows its progress and survives reloads."""
    key_text, reason = form.get("period", "").strip(), " ".join(form.get("reason", "").split())

    def run() -> str:
        try:
            key = Period.parse(key_text).key
        except ValueError:
            raise ValidationError([Problem("close", key_text, "period", "use YYYY-MM")]) from None
        if not reason:
            raise ValidationError([Problem("close", key, "reason", "is required")])
        job = jobs.submit(
            session, staff, "close", {"period": key, "reason": reason}, form.get("form_token", "")
        )
        return f"/console/jobs/{job.id}"

    return _periods_action(request, staff, session).submit(form, run)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: RowId, staff: AdminPage, session: DbSession) -> HTMLResponse:
    """A job's state; while it runs the page refreshes itself every two seconds (no
    script needed), so a reload or a second tab shows the same job."""
    job = jobs.view(session, job_id)
    response = page(request, staff, "console/job.html", job=job)
    if not job.finished:
        response.headers["Refresh"] = "2"
    return response


@router.get("/jobs/{job_id}/status")
def job_status(job_id: RowId, staff: AdminPage, session: DbSession) -> dict[str, object]:
    """The same state as JSON, for scripts that poll."""
    job = jobs.view(session, job_id)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "stage": job.stage,
        "done_units": job.done_units,
        "total_units": job.total_units,
        "percent": job.percent,
        "error": job.error,
    }


def _review(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    key: str,
    status: int = 200,
    problems: list[str] | None = None,
) -> HTMLResponse:
    review = review_run(session, key)
    facts = period_board.review_facts(session, key, with_currencies=review.status == "draft")
    return page(
        request,
        staff,
        "console/review.html",
        status,
        review=review,
        key=key,
        approval=period_actions.approval(session, key),
        needs_approval=facts.needs_approval,
        adjustments=period_board.adjustment_lines(session, key),
        currencies=sorted(facts.member_currencies - {review.currency}),
        has_batch=facts.has_batch,
        problems=problems,
    )


@router.get("/periods/{period}", response_class=HTMLResponse)
def review(request: Request, period: str, staff: AdminPage, session: DbSession) -> HTMLResponse:
    """Totals by bonus, payout share, breakage, largest changes, anomalies; drill down."""
    return _review(request, staff, session, _period_key(period))


@router.get("/periods/{period}/members/{member_id}", response_class=HTMLResponse)
def member_statement(
    request: Request, period: str, member_id: MemberId, staff: AdminPage, session: DbSession
) -> HTMLResponse:
    """One member's statement for the period, every line explained (a logged read)."""
    key = _period_key(period)
    owner = owner_member(session, member_id)
    authorize(
        session,
        staff,
        owner,
        DataKind.PAY,
        record=f"statement:{key}",
        reason=f"review of period {key}",
    )
    statement = statements.member_statement(session, key, member_id)
    return page(request, staff, "console/statement.html", statement=statement, key=key)


@router.get("/periods/{period}/statement")
def statement_lookup(
    period: str, staff: AdminPage, member: str = Query("", max_length=64)
) -> Response:
    """The review's drill-down form: any member's statement by id."""
    key = _period_key(period)
    return redirect(f"/console/periods/{key}/members/{quote(member.strip(), safe='')}")


@router.post("/periods/{period}/approve", response_class=HTMLResponse)
def approve(
    request: Request, period: str, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    key = _period_key(period)

    def run() -> str:
        period_actions.approve(session, staff, key, form.get("reason", ""))
        return f"/console/periods/{key}"

    return _review_action(request, staff, session, key).submit(form, run)


def _rates_of(form: dict[str, str]) -> dict[str, str]:
    return {
        k[5:].upper(): v.strip() for k, v in form.items() if k.startswith("rate_") and v.strip()
    }


@router.get("/periods/{period}/finalize", response_class=HTMLResponse)
def finalize_confirm(
    request: Request,
    period: str,
    staff: AdminPage,
    session: DbSession,
    reason: str = Query("", max_length=500),
) -> Response:
    """Confirm: the totals and the rates the period will be finalized with."""
    key = _period_key(period)
    rates = {
        k[5:].upper(): v
        for k, v in request.query_params.items()
        if k.startswith("rate_") and v.strip()
    }
    review = review_run(session, key)
    problems = []
    try:
        parse_rates(rates, review.currency)
    except FairtreeError as error:
        problems = failure_problems(error)
    if not reason.strip():
        problems.append("reason: is required")
    return _review_action(request, staff, session, key).confirm(
        problems,
        "console/finalize.html",
        review=review,
        key=key,
        rates=rates,
        reason=reason.strip(),
    )


@router.post("/periods/{period}/finalize", response_class=HTMLResponse)
def finalize(
    request: Request, period: str, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    """Finalize once: the same form twice (a double click) finalizes one run."""
    key = _period_key(period)

    def run() -> str:
        period_actions.finalize(session, staff, key, _rates_of(form), form.get("reason", ""))
        return f"/console/periods/{key}?finalized=1"

    return _review_action(request, staff, session, key).submit(form, run)


@router.post("/settings/approval", response_class=HTMLResponse)
def approval_rule(
    request: Request, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    def run() -> str:
        period_actions.set_approval_rule(
            session, staff, form.get("required") == "yes", form.get("reason", "")
        )
        return "/console/periods"

    return _periods_action(request, staff, session).submit(form, run)

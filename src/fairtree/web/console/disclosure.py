"""Console income disclosure: a year's or a range's statement (the same code and layout as
``fairtree disclosure``), its downloads, the earnings-claim check, and publishing a year
on the public page (confirmed, audited, once per form)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from fairtree.api.deps import DbSession
from fairtree.disclosure import render, render_pdf
from fairtree.disclosure.statement import Statement
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.services.disclosure.choices import chosen_range, disclosure_choices
from fairtree.services.disclosure.publishing import publish_year
from fairtree.services.disclosure.statement import build_statement, check_claim
from fairtree.web.console.staff import AdminPage, act, failure_problems, page
from fairtree.web.page_auth import PageForm

router = APIRouter(prefix="/console/disclosure", include_in_schema=False)

FORMATS = {
    "html": ("text/html; charset=utf-8", render.to_html),
    "csv": ("text/csv; charset=utf-8", render.to_csv),
    "json": ("application/json", render.to_json),
    "pdf": ("application/pdf", render_pdf.to_pdf),
}
RANGE_FIELDS = ("year", "from", "to")
CLAIM_PER = ("month", "year")


def _range_values(params: Any) -> dict[str, str]:
    return {name: str(params.get(name, "")).strip()[:10] for name in RANGE_FIELDS}


def _query(values: dict[str, str]) -> str:
    return urlencode({k: v for k, v in values.items() if v})


def _statement(session: DbSession, values: dict[str, str]) -> tuple[Statement, date, date]:
    start, end = chosen_range(values["year"], values["from"], values["to"])
    return build_statement(session, start, end), start, end


def _claim(session: DbSession, params: Any, start: date, end: date) -> dict[str, Any]:
    amount, per = str(params.get("amount", "")).strip()[:32], str(params.get("per", "month"))
    claim: dict[str, Any] = {"amount": amount, "per": per if per in CLAIM_PER else "month"}
    if not amount:
        return claim
    try:
        if per not in CLAIM_PER:
            raise ValidationError([Problem("claim", "", "per", "choose month or year")])
        claim["check"] = check_claim(session, amount, per, start, end)
    except ValidationError as error:
        claim["problems"] = failure_problems(error)
    return claim


def _page(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    values: dict[str, str],
    status: int = 200,
    problems: list[str] | None = None,
    **context: Any,
) -> HTMLResponse:
    return page(
        request,
        staff,
        "console/disclosure.html",
        status,
        choices=disclosure_choices(session),
        values=values,
        query=_query(values),
        problems=problems,
        percent=render.percent,
        **context,
    )


@router.get("", response_class=HTMLResponse)
def disclosure_page(request: Request, staff: AdminPage, session: DbSession) -> HTMLResponse:
    """Choose a year or a range; the statement, its downloads and the claim check."""
    params = request.query_params
    values = _range_values(params)
    if not any(values.values()):
        shown = disclosure_choices(session).last_twelve_months
        if shown is not None:
            values = {"year": "", "from": shown[0].isoformat(), "to": shown[1].isoformat()}
        return _page(request, staff, session, values)
    try:
        statement, start, end = _statement(session, values)
    except ValidationError as error:
        return _page(request, staff, session, values, 422, failure_problems(error))
    except NotFoundError as error:
        return _page(request, staff, session, values, 404, [str(error)])
    return _page(
        request,
        staff,
        session,
        values,
        statement=statement,
        # the statement's own HTML, rendered from the ledger's figures (escaped there)
        body=Markup(render.html_body(statement)),  # noqa: S704
        claim=_claim(session, params, start, end),
        published=params.get("published", ""),
    )


@router.get("/statement.{fmt}")
def download(fmt: str, request: Request, staff: AdminPage, session: DbSession) -> Response:
    """The statement as a file: the bytes ``fairtree disclosure --format FMT`` writes."""
    if fmt not in FORMATS:
        raise NotFoundError(f"no format {fmt!r}: use html, csv, json or pdf")
    values = _range_values(request.query_params)
    try:
        statement, start, end = _statement(session, values)
    except ValidationError as error:
        return _page(request, staff, session, values, 422, failure_problems(error))
    media_type, writer = FORMATS[fmt]
    name = f"disclosure-{values['year'] or f'{start}-to-{end}'}.{fmt}"
    return Response(
        writer(statement),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _publishing(form: dict[str, str]) -> tuple[int, str]:
    """The year to publish and the reason; a 422 names the field."""
    text = form.get("year", "").strip()
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError([Problem("publish", text, "year", "use a year such as 2026")])
    reason = " ".join(form.get("reason", "").split())
    if not reason:
        raise ValidationError([Problem("publish", text, "reason", "is required")])
    return int(text), reason


@router.post("/publish", response_class=HTMLResponse)
def publish_preview(
    request: Request, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    """First step: what will be public, and the confirming form (nothing is written)."""
    values = {"year": form.get("year", ""), "from": "", "to": ""}
    try:
        year, reason = _publishing(form)
        statement, _, _ = _statement(session, values)
    except ValidationError as error:
        return _page(request, staff, session, values, 422, failure_problems(error))
    except NotFoundError as error:
        return _page(request, staff, session, values, 404, [str(error)])
    return page(
        request,
        staff,
        "console/disclosure_publish.html",
        year=year,
        reason=reason,
        headline=render.headline_lines(render.statement_data(statement))[2:],
        already=year in disclosure_choices(session).published_years,
    )


@router.post("/publish/confirm", response_class=HTMLResponse)
def publish_confirm(
    request: Request, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    """Publish once per form: a second submit of the same form changes nothing more."""
    values = {"year": form.get("year", ""), "from": "", "to": ""}

    def run() -> str:
        year, reason = _publishing(form)
        publish_year(session, staff, year, reason)
        return f"/console/disclosure?year={year}&published={year}"

    return act(
        request,
        session,
        staff,
        form,
        run,
        lambda problems: _page(request, staff, session, values, problems=problems),
    )

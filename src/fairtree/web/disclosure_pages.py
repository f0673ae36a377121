"""The public income disclosure page: /disclosure/YEAR, no sign-in, once published."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from fairtree.api.deps import DbSession
from fairtree.errors import NotFoundError
from fairtree.services.disclosure.publishing import published_statement
from fairtree.web.render import render

router = APIRouter(prefix="/disclosure", tags=["pages"], include_in_schema=False)


@router.get("/{year}.json")
def public_statement_json(year: int, session: DbSession) -> Response:
    try:
        row = published_statement(session, year)
    except NotFoundError:
        return PlainTextResponse(f"no statement is published for {year}\n", status_code=404)
    return Response(row.statement_json, media_type="application/json")


@router.get("/{year}", response_class=HTMLResponse)
def public_statement(request: Request, year: int, session: DbSession) -> Response:
    """The statement the company published for ``year``; 404 when it has not."""
    try:
        row = published_statement(session, year)
    except NotFoundError:
        return render(request, "disclosure_missing.html", status_code=404, year=year, member=None)
    return render(request, "disclosure.html", year=year, body=row.statement_html, member=None)

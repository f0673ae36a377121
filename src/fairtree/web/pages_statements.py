"""Statements: every period, one statement grouped by bonus, each line's explanation as a
small fragment loaded on demand, CSV and PDF downloads. Same statement service as the
API's ``/members/{id}/statements/{period}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.periods import Period
from fairtree.services.access.authorization import DataKind
from fairtree.services.access.principal import Principal
from fairtree.services.commissions import earnings, statements
from fairtree.services.commissions.statements import EXPLANATION_PAGE
from fairtree.store.models import Member
from fairtree.web.page_auth import PageMember
from fairtree.web.pages_pay import me
from fairtree.web.render import is_fragment, render
from fairtree.web.statement_view import grouped_by_bonus, statement_pdf
from fairtree.web.tables import Column, Listing, TableQuery

router = APIRouter(prefix="/app", tags=["pages"], include_in_schema=False)
PERIOD_COLUMNS = [
    Column("period", "Period", sortable=False),
    Column("status", "Status", sortable=False),
    Column("lines", "Lines", numeric=True, sortable=False),
    Column("total", "Total", numeric=True, sortable=False),
]


def _key(period_key: str) -> str:
    try:
        return Period.parse(period_key).key
    except ValueError as error:
        raise ValidationError([Problem("path", "period_key", "period_key", str(error))]) from None


def _statement(
    session: DbSession,
    member: Member,
    period_key: str,
    explain: bool = False,
    viewer: Principal | None = None,
    only_line: int | None = None,
) -> statements.Statement:
    """The member's statement; explained (with the display names the viewer may see)
    only when asked: the page lists the lines alone, one line's fragment explains it."""
    return statements.member_statement(
        session,
        _key(period_key),
        member.member_id,
        explain=explain,
        viewer=viewer,
        only_line=only_line,
    )


@router.get("/statements", response_class=HTMLResponse)
def statements_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    member = me(session, principal, DataKind.PAY, "statements")
    query = TableQuery.parse(dict(request.query_params), (), "period", per_page=24)
    rows, total = earnings.periods(session, member, query.limit, query.offset)
    listing = Listing("/app/statements", query, rows, total, "periods")
    return render(
        request, "statements.html", member=member, listing=listing, columns=PERIOD_COLUMNS
    )


@router.get("/statements/{period_key}", response_class=HTMLResponse)
def statement_page(
    request: Request, period_key: str, principal: PageMember, session: DbSession
) -> HTMLResponse:
    member = me(session, principal, DataKind.PAY, f"statement:{period_key}"[:128])
    statement = _statement(session, member, period_key)
    return render(
        request,
        "statement_page.html",
        member=member,
        statement=statement,
        groups=grouped_by_bonus(statement),
    )


@router.get("/statements/{period_key}/lines/{number}", response_class=HTMLResponse)
def line_explanation(
    request: Request,
    period_key: str,
    number: int,
    principal: PageMember,
    session: DbSession,
    start: Annotated[int, Query(alias="from", ge=0)] = 0,
) -> HTMLResponse:
    """One page of a line's explanation (``EXPLANATION_PAGE`` lines from ``from``; a top
    earner's names most of the company): a fragment for script, a small page without
    it. Only the members the page shows are looked up and logged as read. A later page
    asked by script is its lines alone, to follow the ones already shown."""
    member = me(session, principal, DataKind.PAY, f"statement:{period_key}"[:128])
    statement = statements.member_statement(
        session,
        _key(period_key),
        member.member_id,
        viewer=principal,
        only_line=number,
        explanation_lines=slice(start, start + EXPLANATION_PAGE),
    )
    if not 0 <= number < len(statement.lines):
        raise NotFoundError(f"no line {number} in the statement of {period_key}")
    line = statement.lines[number]
    shown = (start, start + len(line.explanation))
    name = "explanation_page.html"
    if is_fragment(request):
        name = "_explanation_lines.html" if start else "_explanation.html"
    return render(
        request,
        name,
        member=member,
        statement=statement,
        line=line,
        number=number,
        shown=shown,
        page_size=EXPLANATION_PAGE,
    )


@router.get("/statements/{period_key}/csv")
def statement_csv(period_key: str, principal: PageMember, session: DbSession) -> Response:
    member = me(session, principal, DataKind.PAY, f"statement:{period_key}"[:128])
    statement = _statement(session, member, period_key)
    name = f"statement-{statement.period_key}-{statement.member_id}.csv"
    return Response(
        statements.render_csv(statement),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/statements/{period_key}/pdf")
def statement_pdf_download(period_key: str, principal: PageMember, session: DbSession) -> Response:
    member = me(session, principal, DataKind.PAY, f"statement:{period_key}"[:128])
    statement = _statement(session, member, period_key, True, principal)
    name = f"statement-{statement.period_key}-{statement.member_id}.pdf"
    return Response(
        statement_pdf(statement),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

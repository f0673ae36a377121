"""The audit log and the access log, filtered by actor, subject, action and dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession
from fairtree.services.access import logs
from fairtree.web.console.staff import AdminPage, page

router = APIRouter(prefix="/console/logs", include_in_schema=False)
PAGE_SIZE = 100
Text = Annotated[str, Query(max_length=64)]


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _filters(actor: str, subject: str, action: str, since: str, until: str) -> logs.LogFilters:
    return logs.LogFilters(
        actor.strip(), subject.strip(), action.strip(), _date(since), _date(until)
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    actor: Text = "",
    subject: Text = "",
    action: Text = "",
    since: Text = "",
    until: Text = "",
    offset: int = Query(0, ge=0, le=10_000_000),
) -> HTMLResponse:
    filters = _filters(actor, subject, action, since, until)
    records = logs.audit_log(session, filters, PAGE_SIZE + 1, offset)
    return page(
        request,
        staff,
        "console/audit.html",
        records=records[:PAGE_SIZE],
        more=len(records) > PAGE_SIZE,
        offset=offset,
        filters=filters,
        actions=logs.audit_actions(session),
        page_size=PAGE_SIZE,
    )


@router.get("/access", response_class=HTMLResponse)
def access_page(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    actor: Text = "",
    subject: Text = "",
    action: Text = "",
    since: Text = "",
    until: Text = "",
    offset: int = Query(0, ge=0, le=10_000_000),
) -> HTMLResponse:
    filters = _filters(actor, subject, action, since, until)
    rows = logs.access_log(session, filters, PAGE_SIZE + 1, offset)
    return page(
        request,
        staff,
        "console/access.html",
        rows=rows[:PAGE_SIZE],
        more=len(rows) > PAGE_SIZE,
        offset=offset,
        filters=filters,
        page_size=PAGE_SIZE,
    )

"""The audit log and the access log, filtered by actor, subject, action and dates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
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


def log_filters(
    actor: Text = "",
    subject: Text = "",
    action: Text = "",
    since: Text = "",
    until: Text = "",
) -> logs.LogFilters:
    """The filters both logs take from the query string."""
    return _filters(actor, subject, action, since, until)


Filters = Annotated[logs.LogFilters, Depends(log_filters)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _listing(
    request: Request,
    staff: AdminPage,
    template: str,
    rows_name: str,
    read: Callable[[int, int], Sequence[Any]],
    filters: logs.LogFilters,
    offset: int,
    **shown: Any,
) -> HTMLResponse:
    """One page of a filtered log: ``read(limit, offset)`` asks for one row more than a
    page, which says whether there is a next page."""
    rows = read(PAGE_SIZE + 1, offset)
    context: dict[str, Any] = {rows_name: rows[:PAGE_SIZE], **shown}
    return page(
        request,
        staff,
        template,
        more=len(rows) > PAGE_SIZE,
        offset=offset,
        filters=filters,
        page_size=PAGE_SIZE,
        **context,
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, staff: AdminPage, session: DbSession, filters: Filters, offset: Offset = 0
) -> HTMLResponse:
    return _listing(
        request,
        staff,
        "console/audit.html",
        "records",
        lambda limit, at: logs.audit_log(session, filters, limit, at),
        filters,
        offset,
        actions=logs.audit_actions(session),
    )


@router.get("/access", response_class=HTMLResponse)
def access_page(
    request: Request, staff: AdminPage, session: DbSession, filters: Filters, offset: Offset = 0
) -> HTMLResponse:
    return _listing(
        request,
        staff,
        "console/access.html",
        "rows",
        lambda limit, at: logs.access_log(session, filters, limit, at),
        filters,
        offset,
    )

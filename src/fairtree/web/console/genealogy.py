"""The company-wide genealogy viewer: the member back office's tree (sponsor or placement,
one level per request, paged and sorted in the store, now or as it stood at the end of a
finalized period) over the whole company, from the top; and search over every member.

Staff only (``authorize_company_read``); every member shown is logged as a read of their
team data, as a member's own viewer logs the downline it shows."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from fairtree.api.deps import DbSession
from fairtree.periods import Period
from fairtree.services.access.authorization import DataKind, authorize_company_read
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.services.commissions import period_board
from fairtree.services.commissions.period_plan import period_of
from fairtree.services.network import members, tree_view
from fairtree.web.console.staff import StaffPage, page
from fairtree.web.render import is_fragment, render
from fairtree.web.tables import Listing, TableQuery

router = APIRouter(prefix="/console/genealogy", include_in_schema=False)
BASE = "/console/genealogy"
LEVEL_PAGE = 50
SEARCH_LIMIT = 50


def _closed(session: DbSession) -> list[period_board.PeriodRow]:
    """Finalized periods, newest first: the tree can be shown as it stood at their end."""
    return [r for r in period_board.period_rows(session, utcnow().date()) if r.state == "finalized"]


def _when(session: DbSession, asked: str) -> tuple[Period, date | None]:
    for closed in _closed(session):
        if closed.key == asked:
            return Period.parse(closed.key), closed.ends_on - timedelta(days=1)
    return period_of(session, utcnow().date()), None


def _level(
    request: Request, session: DbSession, staff: Principal
) -> tuple[tree_view.CompanyLevel, Listing]:
    params = dict(request.query_params)
    query = TableQuery.parse(params, tree_view.SORTS, "name", per_page=LEVEL_PAGE)
    period, as_of = _when(session, params.get("period", ""))
    found = tree_view.company_level(
        session,
        staff,
        (params.get("member") or "").strip()[:64] or None,
        params.get("tree", "sponsor"),
        period,
        as_of,
        query.sort,
        query.descending,
        query.limit,
        query.offset,
    )
    level = found.level
    extra = {"tree": level.tree, "member": level.parent.member_id}
    if as_of is not None:
        extra["period"] = period.key
    return found, Listing(BASE, query, level.nodes, level.total, "members", extra)


@router.get("", response_class=HTMLResponse)
def genealogy_page(request: Request, staff: StaffPage, session: DbSession) -> HTMLResponse:
    found, listing = _level(request, session, staff)
    return page(
        request,
        staff,
        "console/genealogy.html",
        level=found.level,
        tops=found.tops,
        tops_total=found.tops_total,
        listing=listing,
        closed=_closed(session),
        tree_base=BASE,
    )


@router.get("/level", response_class=HTMLResponse)
def genealogy_level(request: Request, staff: StaffPage, session: DbSession) -> Response:
    """One level as a fragment (script) or, without script, the whole page."""
    found, listing = _level(request, session, staff)
    if not is_fragment(request):
        return RedirectResponse(listing.page_url(listing.page), status_code=303)
    name = "_tree_level.html" if listing.page == 1 else "_tree_items.html"
    return render(request, name, member=None, level=found.level, listing=listing, tree_base=BASE)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    staff: StaffPage,
    session: DbSession,
    q: str = Query("", max_length=100),
) -> HTMLResponse:
    """Any member of the company by id or part of the name; each one listed is logged."""
    authorize_company_read(staff, DataKind.DIRECTORY)
    text = " ".join(q.split())
    hits = members.search_members(session, staff, text, None, SEARCH_LIMIT) if text else []
    return page(
        request, staff, "console/genealogy_search.html", q=text, hits=hits, limit=SEARCH_LIMIT
    )

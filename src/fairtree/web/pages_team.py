"""Genealogy viewer and downline search: one tree level per request (a small fragment when
script asks for it, the whole page otherwise), paged, now or as of a closed period."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from fairtree.api.deps import DbSession
from fairtree.periods import Period
from fairtree.services.access.authorization import DataKind
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.services.commissions import earnings
from fairtree.services.commissions.period_plan import period_of
from fairtree.services.network import downline_listing, tree_view
from fairtree.store.models import Member
from fairtree.web.page_auth import PageMember
from fairtree.web.pages_pay import me
from fairtree.web.render import is_fragment, render
from fairtree.web.tables import Listing, TableQuery

router = APIRouter(prefix="/app", tags=["pages"], include_in_schema=False)
LEVEL_PAGE = 50


def closed_periods(session: DbSession, member: Member) -> list[earnings.PeriodPay]:
    """Finalized periods, newest first: the tree can be shown as it stood at their end."""
    return earnings.periods(session, member, 120, 0, finalized_only=True)[0]


def _when(session: DbSession, member: Member, asked: str) -> tuple[Period, date | None]:
    """The period shown and the as-of date: a closed period's last day, or now (live)."""
    for closed in closed_periods(session, member):
        if closed.period_key == asked:
            return Period.parse(closed.period_key), closed.ends_on - timedelta(days=1)
    return period_of(session, utcnow().date()), None


def _level(
    request: Request, session: DbSession, principal: Principal, member: Member
) -> tuple[tree_view.TreeLevel, Listing]:
    params = dict(request.query_params)
    query = TableQuery.parse(params, tree_view.SORTS, "name", per_page=LEVEL_PAGE)
    period, as_of = _when(session, member, params.get("period", ""))
    tree = params.get("tree", "sponsor")
    level = tree_view.tree_level(
        session,
        principal,
        member,
        params.get("member") or None,
        tree,
        period,
        as_of,
        query.sort,
        query.descending,
        query.limit,
        query.offset,
    )
    extra = {"tree": level.tree, "member": level.parent.member_id}
    if as_of is not None:
        extra["period"] = period.key
    listing = Listing("/app/genealogy", query, level.nodes, level.total, "members", extra)
    return level, listing


@router.get("/genealogy", response_class=HTMLResponse)
def genealogy_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    member = me(session, principal, DataKind.TEAM, "genealogy")
    level, listing = _level(request, session, principal, member)
    return render(
        request,
        "genealogy.html",
        member=member,
        level=level,
        listing=listing,
        closed=closed_periods(session, member),
    )


@router.get("/genealogy/level", response_class=HTMLResponse)
def genealogy_level(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    """One level as a fragment (script) or as the whole page (no script, or a new tab)."""
    member = me(session, principal, DataKind.TEAM, "genealogy")
    level, listing = _level(request, session, principal, member)
    if not is_fragment(request):
        url = listing.page_url(listing.page)
        return RedirectResponse(url, status_code=303)  # type: ignore[return-value]
    name = "_tree_level.html" if listing.page == 1 else "_tree_items.html"  # more of a level
    return render(request, name, member=member, level=level, listing=listing)


@router.get("/genealogy/search", response_class=HTMLResponse)
def search_page(
    request: Request, principal: PageMember, session: DbSession, q: str = ""
) -> HTMLResponse:
    member = me(session, principal, DataKind.TEAM, "downline search")
    hits = tree_view.search_downline(session, principal, member, q) if q.strip() else []
    return render(request, "genealogy_search.html", member=member, q=q, hits=hits)


@router.get("/team")
def team_page(principal: PageMember) -> RedirectResponse:
    """The old team list is the genealogy viewer now."""
    return RedirectResponse("/app/genealogy", status_code=303)


def _downline(
    request: Request,
    session: DbSession,
    principal: Principal,
    member: Member,
    everything: bool = False,
) -> tuple[downline_listing.DownlinePage, Listing]:
    params = dict(request.query_params)
    query = TableQuery.parse(
        params,
        downline_listing.SORTS,
        "gv",
        default_descending=True,
        filter_names=downline_listing.FILTERS,
    )
    period = period_of(session, utcnow().date())
    page = downline_listing.downline_page(
        session,
        principal,
        member,
        period,
        set(query.filters),
        query.sort,
        query.descending,
        0 if everything else query.limit,
        0 if everything else query.offset,
    )
    return page, Listing("/app/downline", query, page.rows, page.total, "members")


@router.get("/downline", response_class=HTMLResponse)
def downline_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    member = me(session, principal, DataKind.TEAM, "downline report")
    page, listing = _downline(request, session, principal, member)
    return render(
        request,
        "downline.html",
        member=member,
        page=page,
        listing=listing,
        close_share=downline_listing.CLOSE_SHARE,
    )


@router.get("/downline/csv")
def downline_csv(request: Request, principal: PageMember, session: DbSession) -> Response:
    """The whole filtered report (every page): display names, ranks, volumes; no contact data."""
    member = me(session, principal, DataKind.TEAM, "downline report")
    page, _ = _downline(request, session, principal, member, everything=True)
    name = f"downline-{page.period}-{member.member_id}.csv"
    return Response(
        downline_listing.downline_csv(page),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

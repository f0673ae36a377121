"""The console's home page: members, this period's volumes, payout as a share of sales over
the last twelve periods (a chart with its table), help waiting, periods awaiting review."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from fairtree.api.deps import DbSession
from fairtree.services.clock import utcnow
from fairtree.services.commissions.company_figures import home_figures
from fairtree.web.console.charts import payout_share_chart
from fairtree.web.console.staff import StaffPage, page

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("", include_in_schema=False)
def console_root() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=303)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, staff: StaffPage, session: DbSession) -> HTMLResponse:
    figures = home_figures(session, utcnow().date())
    return page(
        request,
        staff,
        "console/home.html",
        figures=figures,
        chart=payout_share_chart(figures.payout_shares),
    )

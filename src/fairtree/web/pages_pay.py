"""Dashboard and earnings: the rank report card from the live progress the close's rules
compute, and pay from the runs the close stored. Own data only (authorized as self)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession
from fairtree.errors import NotFoundError
from fairtree.money import currency_exponent
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.services.commissions import earnings
from fairtree.services.commissions.period_plan import period_of
from fairtree.services.network import team
from fairtree.services.network.ranks import rank_history
from fairtree.services.orders.rank_progress import line_progress
from fairtree.store.models import Member
from fairtree.web.charts import Chart, bar_chart
from fairtree.web.formatting import period_name, points
from fairtree.web.page_auth import PageMember
from fairtree.web.rank_card import rank_card
from fairtree.web.render import render

router = APIRouter(prefix="/app", tags=["pages"], include_in_schema=False)


def me(session: DbSession, principal: Principal, kind: DataKind, record: str) -> Member:
    """The signed-in member, authorized to read their own ``kind`` of data."""
    member = owner_member(session, principal.member_id or "")
    authorize(session, principal, member, kind, record=record)
    return member


def _earnings_chart(pay: earnings.Earnings, currency: str) -> Chart | None:
    if not pay.recent:
        return None
    return bar_chart(
        "earnings-chart",
        f"Pay in the last {len(pay.recent)} finalized periods ({currency})",
        [period_name(p.period_key) for p in pay.recent],
        [p.total for p in pay.recent],
        currency_exponent(currency),
        f"Pay ({currency})",
    )


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    member = me(session, principal, DataKind.PAY, "dashboard")
    today = utcnow().date()
    period = period_of(session, today)
    try:
        (own,) = line_progress(session, member.member_id, today, upline=False)
    except NotFoundError:  # no plan in force yet: volumes without rank conditions
        card, volumes = None, team.team_view(session, principal, member, period, 0, 1, 0).rows[0]
        figures = {"pv": points(volumes.pv), "gv": points(volumes.gv)}
    else:
        card = rank_card(own, rank_history(session, member.member_id))
        figures = {"pv": card.pv, "gv": card.gv}
    pay = earnings.member_earnings(session, member)
    return render(
        request,
        "dashboard.html",
        member=member,
        card=card,
        pay=pay,
        figures=figures,
        period=period.key,
    )


@router.get("/earnings", response_class=HTMLResponse)
def earnings_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    member = me(session, principal, DataKind.PAY, "earnings")
    pay = earnings.member_earnings(session, member)
    currency = pay.recent[-1].currency if pay.recent else member.currency
    return render(
        request,
        "earnings.html",
        member=member,
        pay=pay,
        chart=_earnings_chart(pay, currency),
        currency=currency,
    )

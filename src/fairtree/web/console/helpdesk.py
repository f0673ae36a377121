"""The help desk: requests members addressed to the company, answered by staff, with the
company's response times. Staff see the request and its messages, nothing else."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession
from fairtree.api.params import RowId
from fairtree.services.care import help_requests
from fairtree.services.clock import utcnow
from fairtree.services.commissions.company_figures import home_figures
from fairtree.web.console.staff import StaffPage, act, page
from fairtree.web.page_auth import PageForm

router = APIRouter(prefix="/console/help", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def desk(request: Request, staff: StaffPage, session: DbSession) -> HTMLResponse:
    listed = help_requests.my_requests(session, staff, 200, 0)
    figures = home_figures(session, utcnow().date())
    return page(request, staff, "console/help.html", requests=listed, figures=figures)


def _request(
    request: Request,
    staff: StaffPage,
    session: DbSession,
    request_id: int,
    problems: list[str] | None = None,
) -> HTMLResponse:
    view = help_requests.read_request(session, staff, request_id)
    return page(request, staff, "console/help_request.html", help=view, problems=problems)


@router.get("/{request_id}", response_class=HTMLResponse)
def read(request: Request, request_id: RowId, staff: StaffPage, session: DbSession) -> HTMLResponse:
    return _request(request, staff, session, request_id)


@router.post("/{request_id}/reply", response_class=HTMLResponse)
def reply(
    request: Request, request_id: RowId, form: PageForm, staff: StaffPage, session: DbSession
) -> Response:
    help_requests.side_of(session, staff, request_id)  # 404 unless to the company

    def run() -> str:
        help_requests.reply(session, staff, request_id, form.get("body", ""))
        return f"/console/help/{request_id}"

    return act(
        request,
        session,
        staff,
        form,
        run,
        lambda problems: _request(request, staff, session, request_id, problems),
    )

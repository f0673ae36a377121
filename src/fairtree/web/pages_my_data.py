"""My data and sharing: grants (create, revoke), who read my data grouped by reader and
kind, mentoring offer, password, API tokens, the data export and closing the account.
Same services as the API's /members/{id}/grants, /auth/tokens, /auth/password, /me/*."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from fairtree.api.deps import CSRF_COOKIE, SESSION_COOKIE, DbSession, get_settings
from fairtree.errors import ConflictError, ValidationError
from fairtree.services.access import grants, sign_in
from fairtree.services.access.access_log import reads_grouped
from fairtree.services.access.authorization import GRANTABLE, DataKind
from fairtree.services.access.principal import Principal
from fairtree.services.care import help_requests
from fairtree.services.clock import utcnow
from fairtree.services.member_data import account_closing
from fairtree.store.models import Member
from fairtree.web.page_auth import LOGIN_PATH, PageForm, PageMember
from fairtree.web.pages_pay import me
from fairtree.web.render import problems_of, render
from fairtree.web.tables import Listing, TableQuery

router = APIRouter(prefix="/app", tags=["pages"], include_in_schema=False)
GRANT_KINDS = sorted(kind.value for kind in GRANTABLE)


def _back(anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/app/my-data{anchor}", status_code=303)


def _my_data(
    request: Request,
    session: DbSession,
    principal: Principal,
    status: int = 200,
    problems: list[str] | None = None,
    new_token: str | None = None,
) -> HTMLResponse:
    member = me(session, principal, DataKind.GRANTS, "my data")
    mentor = next(
        (m for m in help_requests.mentors(session) if m.member_id == member.member_id), None
    )
    return render(
        request,
        "my_data.html",
        status,
        member=member,
        problems=problems,
        grants=grants.grants_of(session, member),
        kinds=GRANT_KINDS,
        tokens=sign_in.own_api_tokens(session, principal),
        new_token=new_token,
        mentor=mentor,
    )


@router.get("/my-data", response_class=HTMLResponse)
def my_data_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    return _my_data(request, session, principal)


@router.post("/my-data/grants", response_class=HTMLResponse)
def create_grant(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = me(session, principal, DataKind.GRANTS, "new grant")
    kinds = [k for k in GRANT_KINDS if form.get(f"kind_{k}")]
    days_text = form.get("days", "").strip()
    try:
        days = int(days_text) if days_text.isdigit() else 0
        grants.create_grant(session, member, form.get("grantee", "").strip(), kinds, days)
    except ValidationError as error:
        return _my_data(request, session, principal, 422, problems_of(error))
    return _back("#sharing")


@router.post("/my-data/grants/{grant_id}/revoke", response_class=HTMLResponse)
def revoke_grant(grant_id: int, principal: PageMember, session: DbSession) -> Response:
    member = me(session, principal, DataKind.GRANTS, f"grant:{grant_id}")
    grants.revoke_grant(session, member, grant_id)
    return _back("#sharing")


@router.get("/access-log", response_class=HTMLResponse)
def access_log_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    member = me(session, principal, DataKind.ACCESS_LOG, "list")
    query = TableQuery.parse(dict(request.query_params), (), "last")
    groups, total = reads_grouped(session, member.id, query.limit, query.offset)
    listing = Listing("/app/access-log", query, groups, total, "readers and kinds")
    return render(request, "access_log.html", member=member, listing=listing)


@router.post("/my-data/password", response_class=HTMLResponse)
def change_password(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    me(session, principal, DataKind.PROFILE, "password")
    try:
        sign_in.change_password(
            session, principal, form.get("current_password", ""), form.get("new_password", "")
        )
    except ValidationError as error:
        return _my_data(request, session, principal, 422, problems_of(error))
    response = RedirectResponse(LOGIN_PATH, status_code=303)  # every session was signed out
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.post("/my-data/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    me(session, principal, DataKind.PROFILE, "api token")
    try:
        issued = sign_in.issue_own_api_token(
            session, get_settings(request), principal, form.get("name", "")
        )
    except ValidationError as error:
        return _my_data(request, session, principal, 422, problems_of(error))
    return _my_data(request, session, principal, 200, new_token=issued.token)


@router.post("/my-data/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(token_id: int, principal: PageMember, session: DbSession) -> Response:
    me(session, principal, DataKind.PROFILE, "api token")
    sign_in.revoke_api_token(session, principal, token_id)
    return _back("#tokens")


@router.post("/my-data/mentoring", response_class=HTMLResponse)
def mentoring(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = me(session, principal, DataKind.PROFILE, "mentoring")
    if form.get("withdraw"):
        help_requests.withdraw_mentoring(session, member)
        return _back("#mentoring")
    topics = [t.strip() for t in form.get("topics", "").split(",") if t.strip()]
    try:
        help_requests.offer_mentoring(session, member, topics)
    except (ValidationError, ConflictError) as error:
        problems = problems_of(error) if isinstance(error, ValidationError) else [str(error)]
        return _my_data(request, session, principal, 422, problems)
    return _back("#mentoring")


def _closing(
    request: Request, member: Member, status: int = 200, problems: list[str] | None = None
) -> HTMLResponse:
    return render(request, "close_account.html", status, member=member, problems=problems)


@router.get("/my-data/close", response_class=HTMLResponse)
def close_account_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    return _closing(request, me(session, principal, DataKind.PROFILE, "close account"))


@router.post("/my-data/close", response_class=HTMLResponse)
def close_account(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = me(session, principal, DataKind.PROFILE, "close account")
    if form.get("confirm") != "yes":
        return _closing(request, member, 422, ["confirm: tick the box to confirm"])
    try:
        account_closing.close_account(
            session, principal, member, form.get("password", ""), utcnow().date()
        )
    except ValidationError as error:
        return _closing(request, member, 422, problems_of(error))
    except ConflictError as error:
        return _closing(request, member, 409, [str(error)])
    response = render(request, "account_closed.html", member=None)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response

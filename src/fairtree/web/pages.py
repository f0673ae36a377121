"""The member back office: server-rendered pages over the same services as the API.

Every page shows the signed-in member's own data and goes through the same policy
(``authorize`` as self). Forms post back with the session's CSRF token; a failed
form re-renders with the problems and status 422.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from fairtree.api.deps import CSRF_COOKIE, SESSION_COOKIE, DbSession, get_mail, get_settings
from fairtree.errors import FairtreeError, NotFoundError, ValidationError
from fairtree.services.access import sign_in
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.access.principal import Principal
from fairtree.services.care import help_requests
from fairtree.services.clock import utcnow
from fairtree.services.member_data import contacts, goals, member_records, policies
from fairtree.services.member_data.contacts import ContactFields
from fairtree.services.orders import customers
from fairtree.store.models import Member
from fairtree.web.page_auth import (
    LOGIN_CSRF_COOKIE,
    LOGIN_PATH,
    STAFF_HOME,
    MaybePagePrincipal,
    PageForm,
    PageMember,
    login_form_token,
    login_token_matches,
)
from fairtree.web.render import problems_of, render

router = APIRouter(prefix="/app", tags=["pages"], include_in_schema=False)
entrance = APIRouter(include_in_schema=False)


@entrance.get("/")
def front_door() -> RedirectResponse:
    """The server's address opens the member back office."""
    return RedirectResponse("/app/", status_code=303)


def _me(session: DbSession, principal: Principal, kind: DataKind, record: str) -> Member:
    member = owner_member(session, principal.member_id or "")
    authorize(session, principal, member, kind, record=record)
    return member


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _field(form: dict[str, str], name: str) -> str:
    return form.get(name, "").strip()


def _login_form(
    request: Request, status_code: int = 200, problems: list[str] | None = None
) -> Response:
    """The sign-in page with its form token, and the cookie the token must match."""
    token = login_form_token(request)
    response = render(
        request, "login.html", status_code, member=None, problems=problems or [], csrf_token=token
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path=LOGIN_PATH,
        httponly=True,
        samesite="strict",
        secure=get_settings(request).cookie_secure,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return _login_form(request)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: PageForm, session: DbSession) -> Response:
    settings = get_settings(request)
    if not login_token_matches(request, form):
        return _login_form(request, 403, ["the sign-in form expired: sign in again"])
    login_name, password = _field(form, "login"), form.get("password", "")
    if not login_name or not password:
        return _login_form(request, 422, ["enter login and password"])
    address = request.client.host if request.client else "unknown"
    try:
        user = sign_in.check_credentials(
            session, settings, login_name, password, address, get_mail(request)
        )
    except sign_in.TooManyAttemptsError as refused:
        wait = f"too many failed sign-ins; try again in {refused.retry_after} seconds"
        response = _login_form(request, 429, [wait])
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    if user is None:
        return _login_form(request, 401, ["wrong login or password"])
    opened = sign_in.open_session(session, settings, user)
    response = _redirect("/app/" if user.member_id is not None else STAFF_HOME)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    common = {
        "secure": settings.cookie_secure,
        "samesite": "lax",
        "max_age": settings.session_hours * 3600,
    }
    response.set_cookie(SESSION_COOKIE, opened.token, httponly=True, **common)  # type: ignore[arg-type]
    response.set_cookie(CSRF_COOKIE, opened.csrf_token, httponly=False, **common)  # type: ignore[arg-type]
    return response


@router.post("/logout")
def logout(principal: MaybePagePrincipal, session: DbSession) -> Response:
    """End the cookie session (an API token used here is left alone)."""
    if principal is not None and principal.via == "session":
        sign_in.sign_out(session, principal)
    response = _redirect(LOGIN_PATH)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/customers", response_class=HTMLResponse)
def customers_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    return _customers(request, session, principal)


def _customers(request: Request, session: DbSession, principal: Principal, status: int = 200,
               problems: list[str] | None = None) -> HTMLResponse:  # fmt: skip
    member = _me(session, principal, DataKind.CUSTOMERS, "list")
    listed = member_records.customers(session, member, 500, 0)
    return render(request, "customers.html", status, member=member, customers=listed,
                  problems=problems)  # fmt: skip


@router.post("/customers", response_class=HTMLResponse)
def add_customer(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = _me(session, principal, DataKind.CUSTOMERS, "new")
    try:
        customers.add_customer(session, member, _field(form, "name"), _field(form, "country"),
                               utcnow().date())  # fmt: skip
    except ValidationError as error:
        return _customers(request, session, principal, 422, problems_of(error))
    return _redirect("/app/customers")


def contacts_view(request: Request, session: DbSession, principal: Principal, status: int = 200,
              problems: list[str] | None = None) -> HTMLResponse:  # fmt: skip
    member = _me(session, principal, DataKind.CONTACTS, "list")
    return render(
        request,
        "contacts.html",
        status,
        member=member,
        contacts=contacts.list_contacts(session, member, 500, 0),
        outreach=contacts.outreach_list(session, member),
        problems=problems,
    )


@router.get("/contacts", response_class=HTMLResponse)
def contacts_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    return contacts_view(request, session, principal)


@router.post("/contacts", response_class=HTMLResponse)
def add_contact(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = _me(session, principal, DataKind.CONTACTS, "new")
    fields = ContactFields(
        name=_field(form, "name"),
        email=_field(form, "email"),
        phone=_field(form, "phone"),
        consent=_field(form, "consent") or "unknown",
        relationship_mark=_field(form, "relationship_mark"),
    )
    try:
        contacts.add_contact(session, member, fields, utcnow().date())
    except ValidationError as error:
        return contacts_view(request, session, principal, 422, problems_of(error))
    return _redirect("/app/contacts")


def _goals(request: Request, session: DbSession, principal: Principal, status: int = 200,
           problems: list[str] | None = None) -> HTMLResponse:  # fmt: skip
    member = _me(session, principal, DataKind.GOALS, "list")
    listed = goals.list_goals(session, member, utcnow().date())
    return render(request, "goals.html", status, member=member, goals=listed,
                  labels=goals.METRIC_LABELS, problems=problems)  # fmt: skip


@router.get("/goals", response_class=HTMLResponse)
def goals_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    return _goals(request, session, principal)


@router.post("/goals", response_class=HTMLResponse)
def add_goal(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = _me(session, principal, DataKind.GOALS, "new")
    try:
        starts_on = date.fromisoformat(_field(form, "starts_on"))
        due_on = date.fromisoformat(_field(form, "due_on"))
    except ValueError:
        return _goals(request, session, principal, 422, ["dates: use YYYY-MM-DD"])
    try:
        goals.add_goal(session, member, _field(form, "title"), _field(form, "metric"),
                       _field(form, "target"), starts_on, due_on)  # fmt: skip
    except ValidationError as error:
        return _goals(request, session, principal, 422, problems_of(error))
    return _redirect("/app/goals")


def _help(request: Request, session: DbSession, principal: Principal, status: int = 200,
          problems: list[str] | None = None) -> HTMLResponse:  # fmt: skip
    member = _me(session, principal, DataKind.PROFILE, "help")
    return render(
        request,
        "help.html",
        status,
        member=member,
        requests=help_requests.my_requests(session, principal, 200, 0),
        mentors=help_requests.mentors(session),
        problems=problems,
    )


@router.get("/help", response_class=HTMLResponse)
def help_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    return _help(request, session, principal)


@router.post("/help", response_class=HTMLResponse)
def ask_for_help(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = _me(session, principal, DataKind.PROFILE, "help")
    try:
        help_requests.ask(session, principal, member, _field(form, "helper_kind"),
                          _field(form, "helper_member_id") or None, _field(form, "subject"),
                          form.get("body", ""))  # fmt: skip
    except ValidationError as error:
        return _help(request, session, principal, 422, problems_of(error))
    return _redirect("/app/help")


@router.get("/policies", response_class=HTMLResponse)
def policies_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    member = _me(session, principal, DataKind.PROFILE, "policies")
    try:
        policy = policies.in_force(session, utcnow().date(), member)
    except NotFoundError:
        policy = None
    return render(request, "policies.html", member=member, policy=policy)


@router.post("/policies/acknowledge", response_class=HTMLResponse)
def acknowledge_policy(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = _me(session, principal, DataKind.PROFILE, "policies")
    version = _field(form, "version")
    if not version:
        return render(request, "policies.html", 422, member=member, policy=None,
                      problems=["version: missing"])  # fmt: skip
    try:
        policies.acknowledge(session, member, version, utcnow().date())
    except FairtreeError:
        return render(request, "policies.html", 422, member=member, policy=None,
                      problems=[f"version: no policy version {version} in force"])  # fmt: skip
    return _redirect("/app/policies")

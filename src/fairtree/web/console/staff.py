"""Who may open a console page, the one-time form tokens, and rendering helpers."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, FairtreeError, NotFoundError, ValidationError
from fairtree.services.access.idempotency import fingerprint, run_once
from fairtree.services.access.principal import Principal
from fairtree.web import formatting
from fairtree.web.page_auth import CSRF_FIELD, LOGIN_PATH, MaybePagePrincipal
from fairtree.web.render import problems_of, render

ADMIN_ROLES = ("owner", "admin")
STAFF_ROLES = ("owner", "admin", "support")
TOKEN_FIELD = "form_token"  # noqa: S105 - a form field name, not a secret


class NavEntry(NamedTuple):
    """One link of the console's navigation and the roles that see it."""

    href: str
    label: str
    roles: tuple[str, ...]


# The console's navigation, in order: a new page adds its entry here, one line.
NAVIGATION: list[NavEntry] = [
    NavEntry("/console/", "Home", STAFF_ROLES),
    NavEntry("/console/members", "Members", STAFF_ROLES),
    NavEntry("/console/genealogy", "Genealogy", STAFF_ROLES),
    NavEntry("/console/periods", "Periods", ADMIN_ROLES),
    NavEntry("/console/plans", "Plans", ADMIN_ROLES),
    NavEntry("/console/disclosure", "Disclosure", ADMIN_ROLES),
    NavEntry("/console/compliance", "Compliance", ADMIN_ROLES),
    NavEntry("/console/simulations", "Simulator", ADMIN_ROLES),
    NavEntry("/console/logs/audit", "Audit log", ADMIN_ROLES),
    NavEntry("/console/logs/access", "Access log", ADMIN_ROLES),
    NavEntry("/console/help", "Help desk", STAFF_ROLES),
]


def _staff(principal: MaybePagePrincipal, roles: tuple[str, ...]) -> Principal:
    if principal is None:
        raise HTTPException(303, detail="sign in first", headers={"Location": LOGIN_PATH})
    if principal.role not in roles:
        raise NotFoundError("no such page")
    return principal


def require_staff(principal: MaybePagePrincipal) -> Principal:
    return _staff(principal, STAFF_ROLES)


def require_admin(principal: MaybePagePrincipal) -> Principal:
    return _staff(principal, ADMIN_ROLES)


StaffPage = Annotated[Principal, Depends(require_staff)]
AdminPage = Annotated[Principal, Depends(require_admin)]


def new_token() -> str:
    """A one-time token for a form that changes something; a resubmit replays the first."""
    return secrets.token_urlsafe(18)


def navigation_for(principal: Principal) -> list[tuple[str, str]]:
    """(href, label) of the console pages ``principal`` may open."""
    return [(e.href, e.label) for e in NAVIGATION if principal.role in e.roles]


def page(
    request: Request, principal: Principal, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render a console template in the shared layout with the navigation the principal
    may see."""
    return render(
        request,
        name,
        status,
        member=None,
        staff=principal,
        navigation=navigation_for(principal),
        home="/console/",
        area_name="console",
        who=f"{principal.login} ({principal.role})",
        logout_action="/app/logout",
        new_token=new_token,
        money=formatting.money,
        points=formatting.points,
        **context,
    )


def redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def once(
    request: Request,
    session: Session,
    principal: Principal,
    form: dict[str, str],
    action: Callable[[], str],
) -> str:
    """Run ``action`` once per form token; returns where to go next (the first answer's
    location when the same form comes again). Nothing is kept when ``action`` raises."""
    token = form.get(TOKEN_FIELD, "")
    if not token or len(token) > 64:
        raise ValidationError("form_token: missing; reload the page and submit again")
    fields = {k: v for k, v in sorted(form.items()) if k not in (CSRF_FIELD, TOKEN_FIELD)}
    request_hash = fingerprint("POST", request.url.path, fields)
    with session.begin_nested():
        (_, body), _replayed = run_once(
            session,
            principal,
            f"console:{token}",
            request_hash,
            lambda: (303, {"location": action()}),
        )
    return str(body["location"])


def failure_problems(error: FairtreeError) -> list[str]:
    if isinstance(error, ValidationError):
        return problems_of(error)
    if isinstance(error, ConflictError):
        return [f"conflict: {error}"]
    return [str(error)]


def act(
    request: Request,
    session: Session,
    principal: Principal,
    form: dict[str, str],
    action: Callable[[], str],
    on_error: Callable[[list[str]], Response],
) -> Response:
    """``once`` and a redirect, or the form again with its problems (422/409)."""
    try:
        return redirect(once(request, session, principal, form, action))
    except FairtreeError as error:
        if isinstance(error, NotFoundError):
            raise
        response = on_error(failure_problems(error))
        response.status_code = 409 if isinstance(error, ConflictError) else 422
        return response


@dataclass(frozen=True)
class ConfirmedAction:
    """A change of money or the tree, asked from a page: first a confirm step that shows
    what it will do (or the page again with the problems, 422), then a post that does it
    once per form token (``act``) and goes on, or shows the page again with its problems.

    ``asked_from(problems)`` renders the page the change was asked from."""

    request: Request
    session: Session
    staff: Principal
    asked_from: Callable[[list[str]], Response]

    def confirm(self, problems: list[str], template: str, **shown: Any) -> Response:
        """The confirm page showing ``shown``, or the asking page with ``problems``."""
        if problems:
            response = self.asked_from(problems)
            response.status_code = 422
            return response
        return page(self.request, self.staff, template, **shown)

    def submit(self, form: dict[str, str], action: Callable[[], str]) -> Response:
        """Do ``action`` once for this form (a resubmit goes where the first went)."""
        return act(self.request, self.session, self.staff, form, action, self.asked_from)

"""Who is looking at a page, and the CSRF check for page forms.

Pages use the session cookie set at sign-in (an API bearer token works too, for tools).
Every unsafe request with a cookie session must carry the session's CSRF token, in the
``csrf_token`` form field (pages put it in every form) or the ``X-CSRF-Token`` header;
otherwise it is refused with 403 before anything runs. Without a sign-in a page
redirects to the sign-in page; staff have no member back office (404, as in the API).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from fairtree.api.deps import CSRF_COOKIE, CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, DbSession
from fairtree.services.access.principal import Principal
from fairtree.services.access.sign_in import (
    csrf_matches,
    principal_for_api_token,
    principal_for_session,
)

LOGIN_PATH = "/app/login"
STAFF_HOME = "/console/"  # staff have no member area: sign-in and /app send them here
CSRF_FIELD = "csrf_token"
# The sign-in form has no session yet: its CSRF token is a random value in a cookie of
# its own (readable by this origin only) that the form must echo (double submit), so
# another site cannot sign a visitor into an account of its choosing.
LOGIN_CSRF_COOKIE = "fairtree_login_csrf"


async def page_form(request: Request) -> dict[str, str]:
    """The submitted form fields (empty for GET or a body that is not a form)."""
    if request.method in SAFE_METHODS:
        return {}
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


PageForm = Annotated[dict[str, str], Depends(page_form)]


def page_principal(request: Request, session: DbSession, form: PageForm) -> Principal | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return principal_for_api_token(session, token.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    found = principal_for_session(session, cookie) if cookie else None
    if found is None:
        return None
    principal, csrf_digest = found
    if request.method not in SAFE_METHODS:
        presented = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
        if not csrf_matches(csrf_digest, presented):
            raise HTTPException(403, detail="missing or wrong CSRF token: reload the page")
    return principal


MaybePagePrincipal = Annotated[Principal | None, Depends(page_principal)]


def require_page_member(principal: MaybePagePrincipal) -> Principal:
    if principal is None:
        raise HTTPException(303, detail="sign in first", headers={"Location": LOGIN_PATH})
    if principal.member_pk is None:
        raise HTTPException(
            303, detail="staff work in the console", headers={"Location": STAFF_HOME}
        )
    return principal


PageMember = Annotated[Principal, Depends(require_page_member)]


def login_form_token(request: Request) -> str:
    """The sign-in form's token: the one in the visitor's cookie, or a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def login_token_matches(request: Request, form: dict[str, str]) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    presented = form.get(CSRF_FIELD, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), presented.encode())


def csrf_token_of(request: Request) -> str:
    """The CSRF token to put in forms: the double-submit cookie set at sign-in."""
    return request.cookies.get(CSRF_COOKIE, "")

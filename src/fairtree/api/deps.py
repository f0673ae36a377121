"""FastAPI dependencies every router uses: database session, who is asking, CSRF, reason.

- ``db_session``: one transaction per request, committed when the route returns,
  rolled back when it raises.
- ``current_principal``: from ``Authorization: Bearer <token>`` (API) or the session
  cookie (pages); None for anonymous. A cookie session must send the CSRF token in
  ``X-CSRF-Token`` on every unsafe method (POST, PUT, PATCH, DELETE).
- ``require_principal`` / ``require_staff(...)``: 401 / 404 when not satisfied.
- ``access_reason``: the ``X-Access-Reason`` header staff give when reading private data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from sqlalchemy.orm import Session

from fairtree.config import Settings
from fairtree.errors import NotFoundError
from fairtree.services.access.mail import MailBackend
from fairtree.services.access.principal import Principal
from fairtree.services.access.sign_in import (
    csrf_matches,
    principal_for_api_token,
    principal_for_session,
)

SESSION_COOKIE = "fairtree_session"
CSRF_COOKIE = "fairtree_csrf"
CSRF_HEADER = "X-CSRF-Token"
REASON_HEADER = "X-Access-Reason"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_mail(request: Request) -> MailBackend:
    return request.app.state.mail  # type: ignore[no-any-return]


def db_session(request: Request) -> Iterator[Session]:
    """The request's session: its transaction begins at the first query (so a sign-in
    can end its reads and hand the connection back while it hashes), commits when the
    route returns and rolls back on an error."""
    factory = request.app.state.session_factory
    with factory() as session:
        yield session
        session.commit()


# scope="function": commit before the answer is sent, so a client acting on the answer
# (a redirect after sign-in, a read after a write) sees the change, and a failed commit
# is an error answer rather than a success whose data was rolled back.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def read_session(request: Request) -> Iterator[Session]:
    """A session for heavy reads (statements): on the read replica when
    FAIRTREE_READ_DATABASE_URL is set, else the primary. Nothing is written through it
    (access logs and audits go through the request's DbSession)."""
    factory = request.app.state.read_session_factory
    with factory() as session:  # closing rolls back: nothing to commit
        yield session


ReadSession = Annotated[Session, Depends(read_session, scope="function")]


def current_principal(request: Request, session: DbSession) -> Principal | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return principal_for_api_token(session, token.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    found = principal_for_session(session, cookie)
    if found is None:
        return None
    principal, csrf_digest = found
    if request.method not in SAFE_METHODS and not csrf_matches(
        csrf_digest, request.headers.get(CSRF_HEADER)
    ):
        raise HTTPException(403, detail="missing or wrong CSRF token (X-CSRF-Token header)")
    return principal


MaybePrincipal = Annotated[Principal | None, Depends(current_principal)]


def require_principal(principal: MaybePrincipal) -> Principal:
    if principal is None:
        raise HTTPException(401, detail="sign in first", headers={"WWW-Authenticate": "Bearer"})
    return principal


SignedIn = Annotated[Principal, Depends(require_principal)]


def require_member(principal: SignedIn) -> Principal:
    """A member's own sign-in; staff have no member area."""
    if principal.member_pk is None:
        raise NotFoundError("no member area for this sign-in")
    return principal


def require_staff(*roles: str) -> Callable[[Principal], Principal]:
    """Only these staff roles; anyone else gets the same 404 as a missing page."""

    def dependency(principal: SignedIn) -> Principal:
        if principal.role not in roles:
            raise NotFoundError("no such record")
        return principal

    return dependency


def access_reason(
    reason: Annotated[
        str | None, Header(alias=REASON_HEADER, max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")
    ] = None,
) -> str | None:
    return reason.strip() if reason and reason.strip() else None


Reason = Annotated[str | None, Depends(access_reason)]
AnyStaff = Annotated[Principal, Depends(require_staff("owner", "admin", "support"))]
AdminStaff = Annotated[Principal, Depends(require_staff("owner", "admin"))]
MemberSignIn = Annotated[Principal, Depends(require_member)]

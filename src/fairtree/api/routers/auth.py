"""Sign-in: cookie sessions for pages, bearer tokens for the API, sign-out, password
change and reset. Failed attempts are recorded and rate limited per account and address."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from fairtree.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    DbSession,
    SignedIn,
    get_mail,
    get_settings,
)
from fairtree.api.params import ONE_LINE, RowId
from fairtree.config import Settings
from fairtree.services.access import password_reset, sign_in
from fairtree.services.access.mail import MailBackend
from fairtree.services.clock import aware
from fairtree.store.models import User

router = APIRouter(prefix="/auth", tags=["auth"])

SettingsDep = Annotated[Settings, Depends(get_settings)]
MailDep = Annotated[MailBackend, Depends(get_mail)]
Login = Annotated[str, Field(min_length=1, max_length=254, pattern=ONE_LINE)]
Password = Annotated[str, Field(min_length=1, max_length=256)]
NewPassword = Annotated[str, Field(min_length=10, max_length=256)]


class Credentials(BaseModel):
    login: Login
    password: Password


class TokenRequest(Credentials):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=ONE_LINE)]
    days: Annotated[int | None, Field(ge=1, le=365)] = None


class Me(BaseModel):
    login: str
    role: str
    member_id: str | None
    via: str


class SessionOpened(BaseModel):
    user: Me
    csrf_token: str
    expires_at: datetime


class TokenIssued(BaseModel):
    id: int
    name: str
    token: str
    expires_at: datetime


class TokenInfo(BaseModel):
    id: int
    name: str
    created_at: datetime
    expires_at: datetime
    revoked: bool


class PasswordChange(BaseModel):
    current_password: Password
    new_password: NewPassword


class ResetRequest(BaseModel):
    login: Login


class ResetConfirm(BaseModel):
    token: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: NewPassword


class Refusal(BaseModel):
    error: str
    detail: str


REFUSALS: dict[int | str, dict[str, Any]] = {401: {"model": Refusal}, 429: {"model": Refusal}}


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _me(user: User, member_id: str | None, via: str) -> Me:
    return Me(login=user.login, role=user.role, member_id=member_id, via=via)


def _refused(status: int, retry_after: int = 0) -> JSONResponse:
    if status == 429:
        body = {
            "error": "too_many_requests",
            "detail": f"too many failed sign-ins; try again in {retry_after} s",
        }
        return JSONResponse(body, status_code=429, headers={"Retry-After": str(retry_after)})
    body = {"error": "unauthenticated", "detail": "wrong login or password"}
    return JSONResponse(body, status_code=401)


def _checked_user(
    request: Request, session: DbSession, settings: Settings, body: Credentials
) -> User | JSONResponse:
    """The user, or the refusal to answer with (401, or 429 with Retry-After)."""
    try:
        user = sign_in.check_credentials(
            session, settings, body.login, body.password, _address(request), get_mail(request)
        )
    except sign_in.TooManyAttemptsError as refused:
        return _refused(429, refused.retry_after)
    return user if user is not None else _refused(401)


@router.post("/login", response_model=SessionOpened, responses=REFUSALS)
def login(
    request: Request, body: Credentials, session: DbSession, settings: SettingsDep
) -> Response:
    """Open a cookie session (pages). Send the returned csrf_token as X-CSRF-Token."""
    user = _checked_user(request, session, settings, body)
    if isinstance(user, JSONResponse):
        return user
    opened = sign_in.open_session(session, settings, user)
    member_id = sign_in.member_id_of(session, user)
    payload = SessionOpened(
        user=_me(user, member_id, "session"),
        csrf_token=opened.csrf_token,
        expires_at=opened.expires_at,
    )
    response = JSONResponse(payload.model_dump(mode="json"))
    max_age = settings.session_hours * 3600
    common = {"secure": settings.cookie_secure, "samesite": "lax", "max_age": max_age}
    response.set_cookie(SESSION_COOKIE, opened.token, httponly=True, **common)  # type: ignore[arg-type]
    response.set_cookie(CSRF_COOKIE, opened.csrf_token, httponly=False, **common)  # type: ignore[arg-type]
    return response


@router.post("/tokens", response_model=TokenIssued, status_code=201, responses=REFUSALS)
def create_token(
    request: Request, body: TokenRequest, session: DbSession, settings: SettingsDep
) -> Response:
    """Issue an API bearer token (shown once; only its digest is stored)."""
    user = _checked_user(request, session, settings, body)
    if isinstance(user, JSONResponse):
        return user
    issued = sign_in.issue_api_token(session, settings, user, body.name, body.days)
    payload = TokenIssued(
        id=issued.record.id,
        name=issued.record.name,
        token=issued.token,
        expires_at=issued.record.expires_at,
    )
    return JSONResponse(payload.model_dump(mode="json"), status_code=201)


@router.get("/tokens", response_model=list[TokenInfo])
def list_tokens(principal: SignedIn, session: DbSession) -> list[TokenInfo]:
    return [
        TokenInfo(
            id=t.id,
            name=t.name,
            created_at=aware(t.created_at),
            expires_at=aware(t.expires_at),
            revoked=t.revoked_at is not None,
        )
        for t in sign_in.own_api_tokens(session, principal)
    ]


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response)
def revoke_token(token_id: RowId, principal: SignedIn, session: DbSession) -> Response:
    sign_in.revoke_api_token(session, principal, token_id)
    return Response(status_code=204)


@router.get("/me", response_model=Me)
def me(principal: SignedIn) -> Me:
    return Me(
        login=principal.login,
        role=principal.role,
        member_id=principal.member_id,
        via=principal.via,
    )


@router.post("/logout", status_code=204, response_class=Response)
def logout(principal: SignedIn, session: DbSession) -> Response:
    """Revoke the session or token this request used."""
    sign_in.sign_out(session, principal)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.post("/sign-out-everywhere", status_code=204, response_class=Response)
def sign_out_everywhere(principal: SignedIn, session: DbSession) -> Response:
    """Revoke every session and API token of this sign-in, this one included."""
    sign_in.sign_out_everywhere(session, principal)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.post("/password", status_code=204, response_class=Response)
def change_password(body: PasswordChange, principal: SignedIn, session: DbSession) -> Response:
    """Change the password; every session and token of the account is revoked."""
    sign_in.change_password(session, principal, body.current_password, body.new_password)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/password-reset", status_code=202, response_class=Response)
def request_password_reset(
    body: ResetRequest, session: DbSession, settings: SettingsDep, mail: MailDep
) -> Response:
    """Mail a one-time reset token if the account exists and has an email (same answer
    either way)."""
    password_reset.request_reset(session, settings, mail, body.login)
    return Response(status_code=202)


@router.post("/password-reset/confirm", status_code=204, response_class=Response)
def confirm_password_reset(body: ResetConfirm, session: DbSession) -> Response:
    password_reset.confirm_reset(session, body.token, body.new_password)
    return Response(status_code=204)

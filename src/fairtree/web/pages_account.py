"""Signing in without a password at hand: ask for a reset token by mail, then choose a new
password with it. Same services as ``/auth/password-reset``; the answer to a request is
the same whether or not the account exists."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession, get_settings
from fairtree.errors import ValidationError
from fairtree.services.access import password_reset
from fairtree.web.page_auth import PageForm
from fairtree.web.render import problems_of, render

router = APIRouter(prefix="/app", tags=["pages"], include_in_schema=False)


@router.get("/forgot-password", response_class=HTMLResponse)
def forgot_password_page(request: Request) -> HTMLResponse:
    return render(request, "forgot_password.html", member=None)


@router.post("/forgot-password", response_class=HTMLResponse)
def forgot_password(request: Request, form: PageForm, session: DbSession) -> Response:
    login = form.get("login", "").strip()
    if not login:
        return render(
            request,
            "forgot_password.html",
            422,
            member=None,
            problems=["login: enter your member id or email address"],
        )
    password_reset.request_reset(session, get_settings(request), request.app.state.mail, login)
    return render(request, "forgot_password.html", member=None, sent=True)


@router.get("/reset-password", response_class=HTMLResponse)
def reset_password_page(request: Request, token: str = "") -> HTMLResponse:
    return render(request, "reset_password.html", member=None, token=token[:200])


@router.post("/reset-password", response_class=HTMLResponse)
def reset_password(request: Request, form: PageForm, session: DbSession) -> Response:
    token = form.get("token", "").strip()
    try:
        password_reset.confirm_reset(session, token, form.get("new_password", ""))
    except ValidationError as error:
        return render(
            request,
            "reset_password.html",
            422,
            member=None,
            token=token,
            problems=problems_of(error),
        )
    return render(request, "reset_password.html", member=None, done=True)

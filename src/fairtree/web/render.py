"""Jinja2 rendering for the back office and the console: autoescaped templates, one layout,
one set of formats (money, points, dates), no external assets.

``render`` fills the layout's context: the member navigation by default; the operator
console passes its own ``navigation``, ``home``, ``area_name`` and ``logout_action``.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from fairtree.errors import ValidationError
from fairtree.web import formatting
from fairtree.web.page_auth import CSRF_FIELD, csrf_token_of

MEMBER_NAVIGATION: list[tuple[str, str]] = [
    ("/app/", "Dashboard"),
    ("/app/earnings", "Earnings"),
    ("/app/statements", "Statements"),
    ("/app/genealogy", "Genealogy"),
    ("/app/downline", "Downline"),
    ("/app/orders", "Orders"),
    ("/app/customers", "Customers"),
    ("/app/contacts", "Contacts"),
    ("/app/goals", "Goals"),
    ("/app/help", "Help"),
    ("/app/my-data", "My data"),
    ("/app/policies", "Policies"),
]

templates = Environment(
    loader=PackageLoader("fairtree.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(
    money=formatting.money,
    points=formatting.points,
    thousands=formatting.thousands,
    grouped_text=formatting.grouped_text,
    day=formatting.day,
    period_name=formatting.period_name,
)
templates.globals.update(percent=formatting.percent)
templates.globals["ui"] = templates.get_template("_ui.html").module  # macros for every page


def is_fragment(request: Request) -> bool:
    """A script asked for the small fragment, not the whole page."""
    return request.headers.get("x-fragment") == "1"


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    member = context.get("member")
    context.setdefault("navigation", MEMBER_NAVIGATION if member is not None else None)
    context.setdefault("who", getattr(member, "display_name", None))
    context.setdefault("logout_action", "/app/logout")
    context.setdefault("home", "/app/")
    values = {"csrf_field": CSRF_FIELD, "csrf_token": csrf_token_of(request)}
    values.update(path=request.url.path, **context)  # a page may pass its own csrf_token
    html = templates.get_template(name).render(**values)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


def problems_of(error: ValidationError) -> list[str]:
    """Problems as lines a person can read: field and reason."""
    return [f"{p.field}: {p.reason}" if p.field else p.reason for p in error.problems]

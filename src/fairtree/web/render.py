"""Jinja2 rendering for the member back office: autoescaped templates, no external assets."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from fairtree.errors import ValidationError
from fairtree.web.page_auth import CSRF_FIELD, csrf_token_of

templates = Environment(
    loader=PackageLoader("fairtree.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(name).render(
        csrf_field=CSRF_FIELD, csrf_token=csrf_token_of(request), path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


def problems_of(error: ValidationError) -> list[str]:
    """Problems as lines a person can read: field and reason."""
    return [f"{p.field}: {p.reason}" if p.field else p.reason for p in error.problems]

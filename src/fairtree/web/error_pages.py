"""HTML error pages for the page areas (/app, /console): a person in a browser gets a page
with the layout and a way back, not the API's JSON. API paths keep their JSON answers."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from fairtree.web.render import render

PAGE_AREAS = ("/app", "/console")
HEADINGS = {
    400: "The request could not be used",
    401: "Please sign in",
    403: "You may not do that",
    404: "Page not found",
    405: "That action is not available here",
    409: "That clashes with something already recorded",
    413: "That upload is too large",
    422: "Some of what you entered could not be used",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}
DETAILS = {
    404: "There is no such page, or it is not yours to see.",
    500: "The problem was recorded. Please try again in a moment.",
}


def wants_page(request: Request) -> bool:
    path = request.url.path
    in_area = any(path == area or path.startswith(area + "/") for area in PAGE_AREAS)
    return in_area and not request.headers.get("authorization", "").lower().startswith("bearer")


def error_page(request: Request, status: int, detail: str = "") -> HTMLResponse:
    console = request.url.path.startswith("/console")
    home = "/console/" if console else "/app/"
    heading = HEADINGS.get(status, "The request could not be completed")
    text = DETAILS.get(status) or detail or heading
    return render(
        request,
        "error.html",
        status,
        member=None,
        heading=heading,
        detail=text,
        status=status,
        home=home,
        navigation=None,
    )

"""The FastAPI application: ``create_app(settings)`` wires settings, database, mail,
error mapping, the request size limit and one router per topic."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from fairtree import __version__
from fairtree.api.admission import AdmissionLimit, admitted_at_once
from fairtree.api.errors import NOT_FOUND_BODY, install_error_handlers
from fairtree.api.limits import BodySizeLimit
from fairtree.api.problems import ERROR_RESPONSES, install_request_validation_handler
from fairtree.api.routers import ROUTERS
from fairtree.api.safety_headers import SafetyHeaders
from fairtree.config import Settings
from fairtree.services.access.mail import MailBackend, OutboxMailBackend
from fairtree.services.jobs import JobWorker
from fairtree.store.database import make_engine, make_session_factory
from fairtree.web import api_docs
from fairtree.web.error_pages import error_page, wants_page

_STATUS_NAMES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "too_many_requests",
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """HTTP errors in the same {error, detail} shape as the domain errors."""
    assert isinstance(exc, StarletteHTTPException)
    if 300 <= exc.status_code < 400:
        return Response(status_code=exc.status_code, headers=exc.headers)  # type: ignore[return-value]
    if exc.status_code == 404:
        return JSONResponse(NOT_FOUND_BODY, status_code=404, headers=exc.headers)
    body = {"error": _STATUS_NAMES.get(exc.status_code, "error"), "detail": str(exc.detail)}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


Handler = Callable[[Request, Exception], Awaitable[Response]]


def _pages_in_html(handler: Handler) -> Handler:
    """In /app and /console a refusal is an HTML page with the layout, not JSON."""

    async def handle(request: Request, exc: Exception) -> Response:
        response = await handler(request, exc)
        if response.status_code < 400 or not wants_page(request):
            return response
        try:
            detail = str(json.loads(bytes(response.body)).get("detail", ""))
        except (ValueError, AttributeError):
            detail = ""
        return error_page(request, response.status_code, detail)

    return handle


async def _unexpected(request: Request, exc: Exception) -> Response:
    if wants_page(request):
        return error_page(request, 500)
    return JSONResponse({"error": "error", "detail": "internal error"}, status_code=500)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    mail: MailBackend | None = None,
) -> FastAPI:
    """The API for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """The job worker thread lives as long as the server (not in plain TestClients)."""
        worker = JobWorker(app.state.session_factory) if settings.run_jobs else None
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="fairtree",
        version=__version__,
        description="Back office API: members' own data, their team, and company administration.",
        responses=ERROR_RESPONSES,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    # Heavy reads (statements) may go to a read replica; without one, to the primary.
    read_engine = make_engine(settings.read_database_url) if settings.read_database_url else engine
    app.state.read_engine = read_engine
    app.state.read_session_factory = make_session_factory(read_engine)
    app.state.mail = mail or OutboxMailBackend(settings.outbox_dir)
    install_error_handlers(app)
    install_request_validation_handler(app)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for kind, handler in list(app.exception_handlers.items()):
        app.exception_handlers[kind] = _pages_in_html(handler)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    at_once = admitted_at_once(engine)
    if at_once is not None:  # inside the safety headers: a waiting request holds nothing
        app.add_middleware(AdmissionLimit, limit=at_once)
    app.add_middleware(SafetyHeaders)  # outermost: also on the 413 and every error
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("fairtree.web", "static")]), name="static")
    app.include_router(api_docs.router)
    app.mount("/docs-assets", StaticFiles(directory=api_docs.ASSETS), name="docs-assets")
    return app

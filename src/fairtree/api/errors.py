"""Map fairtree's domain errors to HTTP answers, in one place.

A missing record and one the caller may not see give the same 404 body, so ids
cannot be probed.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from fairtree.errors import (
    ConflictError,
    FairtreeError,
    GenealogyError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

NOT_FOUND_BODY = {"error": "not_found", "detail": "no such record"}


def _problem_list(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"source": p.source, "location": p.location, "field": p.field, "reason": p.reason}
        for p in exc.problems
    ]


async def _fairtree_error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, NotFoundError):
        return JSONResponse(NOT_FOUND_BODY, status_code=404)
    if isinstance(exc, ValidationError):
        body = {
            "error": "invalid",
            "detail": "the input was refused",
            "problems": _problem_list(exc),
        }
        return JSONResponse(body, status_code=422)
    if isinstance(exc, ConflictError):
        return JSONResponse({"error": "conflict", "detail": str(exc)}, status_code=409)
    if isinstance(exc, PermissionDeniedError):
        return JSONResponse({"error": "forbidden", "detail": str(exc)}, status_code=403)
    if isinstance(exc, GenealogyError):
        return JSONResponse({"error": "genealogy", "detail": str(exc)}, status_code=422)
    return JSONResponse({"error": "error", "detail": str(exc)}, status_code=400)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(FairtreeError, _fairtree_error)

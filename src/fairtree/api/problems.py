"""One error shape for every refusal, documented in the OpenAPI document.

Request validation errors (bad path, query, header or body) are answered in the same
``{error, detail, problems}`` shape as fairtree's own ValidationError, so a client
handles one shape, and the schema the API publishes is the one it keeps.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class ProblemOut(BaseModel):
    source: str
    location: str
    field: str
    reason: str


class ErrorOut(BaseModel):
    error: str
    detail: str
    problems: list[ProblemOut] | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (401, "not signed in"),
        (403, "CSRF token missing, or a stated reason is required"),
        (404, "no such record, or not yours to see (the same answer)"),
        (409, "conflict: duplicate, or an Idempotency-Key reused for another request"),
        (413, "request body too large"),
        (422, "the input was refused; problems lists each field and reason"),
        (429, "too many failed sign-ins"),
    )
}


def _problems(exc: RequestValidationError) -> list[dict[str, str]]:
    problems = []
    for error in exc.errors():
        loc = [str(step) for step in error.get("loc", ())]
        field = next((s for s in reversed(loc) if not s.isdigit()), "")
        reason = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(
            {"source": "request", "location": ".".join(loc), "field": field, "reason": reason}
        )
    return problems


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    body = {"error": "invalid", "detail": "the input was refused", "problems": _problems(exc)}
    return JSONResponse(body, status_code=422)


def install_request_validation_handler(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)

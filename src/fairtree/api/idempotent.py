"""Creating routes answer through ``created``: the same Idempotency-Key gives the first
answer back (``fairtree.services.access.idempotency``)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from fairtree.services.access.idempotency import fingerprint, run_once
from fairtree.services.access.principal import Principal


def created(
    request: Request,
    session: Session,
    principal: Principal,
    key: str | None,
    body: BaseModel,
    create: Callable[[], BaseModel],
) -> Response:
    """Run ``create`` once per key; 201 with its JSON, replays marked in a header."""
    request_hash = fingerprint(request.method, request.url.path, body.model_dump(mode="json"))
    (status, payload), replayed = run_once(
        session, principal, key, request_hash, lambda: (201, create().model_dump(mode="json"))
    )
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(payload, status_code=status, headers=headers)

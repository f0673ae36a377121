"""Liveness: is the process up, which version, can it reach its database."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from fairtree import __version__
from fairtree.store.database import ping

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(request: Request) -> JSONResponse:
    try:
        ping(request.app.state.engine)
        database = "ok"
    except Exception:  # any failure to reach the database is "unavailable"
        database = "unavailable"
    ok = database == "ok"
    body = Health(status="ok" if ok else "degraded", version=__version__, database=database)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

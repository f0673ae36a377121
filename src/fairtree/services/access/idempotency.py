"""Idempotency keys for creating requests.

The first request with a key stores its answer under a unique index on (user, key);
the same request again gets that answer back, a different request under the same key
is a conflict, and two racing duplicates cannot both insert (the loser is a conflict).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.store.models import IdempotencyRecord
from fairtree.store.repositories.access import grants as access_repo

Answer = tuple[int, Any]  # status code, JSON-able body


def fingerprint(method: str, path: str, body: Any) -> str:
    text = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_once(
    session: Session,
    principal: Principal,
    key: str | None,
    request_hash: str,
    create: Callable[[], Answer],
) -> tuple[Answer, bool]:
    """(answer, replayed). Without a key, just create."""
    if key is None:
        return create(), False
    found = access_repo.idempotency_record(session, principal.user_id, key)
    if found is not None:
        if found.request_hash != request_hash:
            raise ConflictError("Idempotency-Key was already used for a different request")
        if found.status_code is None or found.response_body is None:
            raise ConflictError("a request with this Idempotency-Key is still running")
        return (found.status_code, json.loads(found.response_body)), True
    record = IdempotencyRecord(
        user_id=principal.user_id, key=key, request_hash=request_hash, created_at=utcnow()
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        raise ConflictError("a request with this Idempotency-Key is still running") from None
    status, body = create()
    record.status_code = status
    record.response_body = json.dumps(body, default=str)
    session.flush()
    return (status, body), False

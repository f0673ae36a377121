"""The audit log: admin actions and staff reads of private data, append-only.

There is deliberately no function here (or in the store) that updates or deletes a
record; on PostgreSQL a trigger refuses UPDATE and DELETE as well.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from fairtree.services.clock import utcnow
from fairtree.services.principal import Principal
from fairtree.store.models import AuditRecord
from fairtree.store.repositories import access as access_repo


def record_action(
    session: Session,
    actor: Principal | None,
    *,
    action: str,
    target_kind: str,
    target: str,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditRecord:
    """Append one audit record; ``actor`` None means the local operator (CLI)."""
    record = AuditRecord(
        actor_user_id=actor.user_id if actor else None,
        actor=actor.label if actor else (actor_label or "local-operator"),
        action=action,
        target_kind=target_kind,
        target=target[:128],
        reason=reason,
        details=json.dumps(details or {}, sort_keys=True, default=str),
        created_at=utcnow(),
    )
    access_repo.add_audit(session, record)
    return record


def list_records(
    session: Session, limit: int, offset: int, target: str | None = None
) -> list[AuditRecord]:
    return access_repo.audit_records(session, limit, offset, target)

"""The audit log: admin actions and staff reads of private data, append-only.

There is deliberately no function here (or in the store) that updates or deletes a
record; on PostgreSQL a trigger refuses UPDATE and DELETE as well. Every record
names who acted (a sign-in, or the local operator at the command line), in which
role, on what, why, and what it looked like before and after.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.store.models import AuditRecord
from fairtree.store.repositories.access import audit as audit_repo
from fairtree.store.repositories.access import grants as access_repo

LOCAL_OPERATOR = ("local-operator", "operator")


def record_action(
    session: Session,
    actor: Principal | None,
    *,
    action: str,
    subject_kind: str,
    subject_id: str,
    reason: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one audit record; ``actor`` None means the local operator (CLI)."""
    name, role = (actor.login, actor.role) if actor else LOCAL_OPERATOR
    return audit_repo.add_record(
        session,
        effective_on=utcnow().date(),
        actor=name[:64],
        actor_role=role,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id[:64],
        reason=reason,
        before=before or {},
        after=after or {},
    )


def list_records(
    session: Session, limit: int, offset: int, subject_id: str | None = None
) -> list[AuditRecord]:
    return access_repo.audit_records(session, limit, offset, subject_id)

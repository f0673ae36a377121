"""The audit and access logs as staff read them, filtered by actor, subject (a member or
period), action (or data kind) and dates. Reading the logs is itself not logged: they
hold no member's private data, only who did or read what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fairtree.services.clock import aware
from fairtree.store.models import AuditRecord
from fairtree.store.repositories.access import log_filters


@dataclass(frozen=True)
class LogFilters:
    actor: str = ""
    subject: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None  # inclusive

    def as_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "subject": self.subject,
            "action": self.action,
            "since": self.since,
            "until": self.until,
        }


@dataclass(frozen=True)
class AccessRow:
    read_at: str
    reader: str
    member_id: str
    data_kind: str
    record: str
    reason: str


def audit_log(session: Session, filters: LogFilters, limit: int, offset: int) -> list[AuditRecord]:
    return log_filters.audit_filtered(session, filters.as_dict(), limit, offset)


def audit_actions(session: Session) -> list[str]:
    return log_filters.audit_actions(session)


def access_log(session: Session, filters: LogFilters, limit: int, offset: int) -> list[AccessRow]:
    wanted = filters.as_dict()
    if filters.until is not None:
        wanted["until"] = filters.until + timedelta(days=1)
    return [
        AccessRow(
            aware(e.read_at).strftime("%Y-%m-%d %H:%M"),
            login,
            member,
            e.data_kind,
            e.record,
            e.reason or "",
        )
        for e, login, member in log_filters.access_filtered(session, wanted, limit, offset)
    ]

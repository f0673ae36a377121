"""What the genealogy tests read back: placement slots, sponsors, history rows, audit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.store.models import AuditRecord, GenealogyRecord, Member
from fairtree.store.repositories.access.audit import records_for


def slots(session: Session) -> dict[str, tuple[str | None, str | None]]:
    """member id -> (placement parent id, position) for everyone."""
    parent = Member.__table__.alias("parent")
    rows = session.execute(
        select(Member.member_id, parent.c.member_id, Member.placement_position).outerjoin(
            parent, parent.c.id == Member.placement_parent_id
        )
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def sponsors(session: Session) -> dict[str, str | None]:
    """member id -> sponsor id for everyone, now."""
    sponsor = Member.__table__.alias("sponsor")
    rows = session.execute(
        select(Member.member_id, sponsor.c.member_id).outerjoin(
            sponsor, sponsor.c.id == Member.sponsor_id
        )
    )
    return {row[0]: row[1] for row in rows}


def history_of(session: Session, member_id: str) -> list[tuple[str | None, date, date | None, str]]:
    """(sponsor id, valid_from, valid_to, reason) of every history row of a member."""
    sponsor = Member.__table__.alias("sponsor")
    member = Member.__table__.alias("member")
    rows = session.execute(
        select(
            sponsor.c.member_id,
            GenealogyRecord.valid_from,
            GenealogyRecord.valid_to,
            GenealogyRecord.reason,
        )
        .join(member, member.c.id == GenealogyRecord.member_id)
        .outerjoin(sponsor, sponsor.c.id == GenealogyRecord.sponsor_id)
        .where(member.c.member_id == member_id)
        .order_by(GenealogyRecord.id)
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def audit_trail(session: Session, member_id: str) -> list[tuple[AuditRecord, dict[str, Any]]]:
    """Audit records about one member, oldest first, with their details decoded."""
    records = records_for(session, "member", member_id)
    return [(record, _details(record)) for record in records]


def _details(record: AuditRecord) -> dict[str, Any]:
    """The effective date, before and after of one genealogy audit record."""
    after = dict(record.after)
    details = {"effective_on": after.get("effective_on"), "before": record.before, "after": after}
    if "rolled_up" in after:
        details["rolled_up"] = after["rolled_up"]
    return details

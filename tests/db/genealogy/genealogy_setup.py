"""Small hand-built networks for the genealogy operation tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.services.access.principal import Principal
from fairtree.services.access.users import create_staff_user
from fairtree.services.network.enrollment import Enrollment, NewMember, enroll
from fairtree.store.models import AuditRecord, Company, GenealogyRecord, Member
from fairtree.store.repositories.access.audit import records_for
from fairtree.store.repositories.network import genealogy_history

ADMIN = None  # the local operator: the company's administrative rights, no sign-in
MEMBER = Principal(
    user_id=999,
    login="max",
    role="member",
    member_pk=None,
    member_id="MAX",
    via="session",
    credential_id=1,
)
SUPPORT = Principal(
    user_id=998,
    login="sue@example.com",
    role="support",
    member_pk=None,
    member_id=None,
    via="session",
    credential_id=2,
)
JAN_1 = date(2026, 1, 1)


def add_company(
    session: Session,
    placement: str = "binary",
    binary_rule: str | None = "outer_left",
    matrix_width: int | None = None,
) -> Company:
    company = Company(
        company_id="acme",
        name="Acme",
        currency="USD",
        country="US",
        period_kind="month",
        placement=placement,
        matrix_width=matrix_width,
        binary_rule=binary_rule if placement == "binary" else None,
    )
    session.add(company)
    session.flush()
    return company


def add_root(session: Session, member_id: str = "ROOT", joined_on: date = JAN_1) -> Member:
    """The top of the tree: no sponsor, no placement parent."""
    root = Member(
        member_id=member_id,
        joined_on=joined_on,
        status="active",
        status_since=joined_on,
        country="US",
        currency="USD",
        display_name=f"{member_id} name",
        identity_verified=False,
    )
    session.add(root)
    session.flush()
    genealogy_history.record_changes(session, [root.id], joined_on, "enroll", "setup")
    return root


def join(
    session: Session,
    member_id: str,
    sponsor_id: str,
    joined_on: date = JAN_1,
    *,
    parent: str | None = None,
    position: str | None = None,
) -> Enrollment:
    return enroll(
        session,
        ADMIN,
        NewMember(member_id, f"{member_id} name", joined_on),
        sponsor_id,
        placement_parent_id=parent,
        placement_position=position,
    )


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


def signed_in_admin(session: Session) -> Principal:
    """A real staff sign-in with the admin role (audit rows point at its user)."""
    user = create_staff_user(session, "ann@example.com", "admin", "correct horse battery")
    return Principal(
        user_id=user.id,
        login=user.login,
        role="admin",
        member_pk=None,
        member_id=None,
        via="session",
        credential_id=1,
    )


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

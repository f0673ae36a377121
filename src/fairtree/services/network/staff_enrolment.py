"""Enrolment by company staff (the console and ``POST /admin/members``): the same rules as
every enrolment (services.network.enrollment), placed by the company's rule unless a
slot is chosen, and written to the audit log with the actor and the reason."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.orm import Session

from fairtree.errors import Problem, ValidationError
from fairtree.services.access.actors import require_admin
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.services.network.enrollment import Enrollment, NewMember, enroll


def enroll_member(
    session: Session,
    actor: Principal,
    new: NewMember,
    sponsor_id: str,
    reason: str,
    *,
    placement_parent_id: str | None = None,
    placement_position: str | None = None,
) -> Enrollment:
    require_admin(actor, f"enrol member {new.member_id!r}")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError([Problem(f"member {new.member_id!r}", "", "reason", "is required")])
    done = enroll(
        session,
        actor,
        new,
        sponsor_id,
        placement_parent_id=placement_parent_id,
        placement_position=placement_position,
    )
    record_action(
        session,
        actor,
        action="member_enrolled",
        subject_kind="member",
        subject_id=done.member_id,
        reason=reason[:500],
        after={**asdict(done), "joined_on": new.joined_on.isoformat()},
    )
    return done

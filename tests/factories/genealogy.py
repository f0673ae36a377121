"""Acme with a placement tree, grown through enrolment, for the genealogy tests.

``add_company(session, "binary", "outer_left")`` (records) gives the company, ``add_root``
its top member, ``join`` every member after it, as the enrolment service places them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fairtree.services.access.principal import Principal
from fairtree.services.access.users import create_staff_user
from fairtree.services.network.enrollment import Enrollment, NewMember, enroll
from fairtree.store.models import Member
from tests.factories.records import JAN_1, add_member

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


def add_root(session: Session, member_id: str = "ROOT", joined_on: date = JAN_1) -> Member:
    """The top of the tree: no sponsor, no placement parent."""
    return add_member(session, member_id, joined_on=joined_on, display_name=f"{member_id} name")


def join(
    session: Session,
    member_id: str,
    sponsor_id: str,
    joined_on: date = JAN_1,
    *,
    parent: str | None = None,
    position: str | None = None,
) -> Enrollment:
    """``member_id`` enrolled under ``sponsor_id`` by the operator (placed by the rule)."""
    return enroll(
        session,
        ADMIN,
        NewMember(member_id, f"{member_id} name", joined_on),
        sponsor_id,
        placement_parent_id=parent,
        placement_position=position,
    )


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

"""Queries on the current network: members, their slots, locks, and tree walks.

Walks up a chain (ancestors) are recursive CTEs that stop at the root, so a cycle
check costs the depth of the tree, not the size of a downline. Row locks make
concurrent writers queue: ``FOR NO KEY UPDATE`` on PostgreSQL (it does not block the
foreign-key checks of members inserted under the locked row); on SQLite a no-op
UPDATE takes the database write lock, since SQLite serializes writers anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.errors import UnknownMemberError
from fairtree.store.models import Member
from fairtree.store.repositories.network.members import member_by_external_id

SLOT_CONSTRAINT = "uq_members_placement_parent_id_placement_position"
_SQLITE_SLOT_MESSAGE = "members.placement_parent_id, members.placement_position"
_MEMBER_ID_CONSTRAINT = "uq_members_member_id"
_SQLITE_MEMBER_ID_MESSAGE = "members.member_id"
CHUNK = 5000


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def lock_member(session: Session, member_id: str) -> None:
    """Make other writers that lock the same member wait until this transaction ends."""
    if _is_sqlite(session):
        session.execute(
            update(Member).where(Member.member_id == member_id).values(member_id=Member.member_id)
        )
    else:
        session.execute(
            select(Member.id).where(Member.member_id == member_id).with_for_update(key_share=True)
        )


def require_member(session: Session, member_id: str, record: str, field: str) -> Member:
    """The member with external id ``member_id``, or UnknownMemberError naming the field."""
    member = member_by_external_id(session, member_id)
    if member is None:
        raise UnknownMemberError(f"{record} [{field}]: no member {member_id!r}")
    return member


def add_member(session: Session, member: Member) -> Member:
    """Insert ``member`` now (flush), so constraint violations surface here."""
    session.add(member)
    session.flush()
    return member


def is_slot_conflict(error: IntegrityError) -> bool:
    """Whether ``error`` is the unique placement slot (parent, position) being violated."""
    text = str(error.orig)
    return SLOT_CONSTRAINT in text or _SQLITE_SLOT_MESSAGE in text


def is_member_id_conflict(error: IntegrityError) -> bool:
    text = str(error.orig)
    return _MEMBER_ID_CONSTRAINT in text or _SQLITE_MEMBER_ID_MESSAGE in text


def sponsor_chain(session: Session, start_id: int) -> list[int]:
    """``start_id`` and every sponsor above it, up to the root."""
    return _chain(session, start_id, "sponsor_id")


def placement_chain(session: Session, start_id: int) -> list[int]:
    """``start_id`` and every placement parent above it, up to the top of the tree."""
    return _chain(session, start_id, "placement_parent_id")


def _chain(session: Session, start_id: int, parent_name: str) -> list[int]:
    members = Member.__table__
    parent = members.c[parent_name]
    up = (
        select(members.c.id, parent.label("parent_id"))
        .where(members.c.id == start_id)
        .cte("chain", recursive=True)
    )
    up = up.union_all(
        select(members.c.id, parent.label("parent_id")).join(up, members.c.id == up.c.parent_id)
    )
    return list(session.scalars(select(up.c.id)))


def recruits(session: Session, sponsor_id: int) -> list[int]:
    """Members this member sponsors now (their frontline in the sponsor tree)."""
    query = select(Member.id).where(Member.sponsor_id == sponsor_id).order_by(Member.id)
    return list(session.scalars(query))


def reassign_sponsor(session: Session, member_ids: Sequence[int], sponsor_id: int | None) -> None:
    """Point every member in ``member_ids`` at ``sponsor_id`` (set-based, in chunks)."""
    for start in range(0, len(member_ids), CHUNK):
        chunk = list(member_ids[start : start + CHUNK])
        session.execute(update(Member).where(Member.id.in_(chunk)).values(sponsor_id=sponsor_id))


def placement_children(
    session: Session, parent_ids: Sequence[int]
) -> list[tuple[int | None, str | None, int]]:
    """(parent, position label, child) of every member placed directly under the parents."""
    found: list[tuple[int | None, str | None, int]] = []
    for start in range(0, len(parent_ids), CHUNK):
        chunk = list(parent_ids[start : start + CHUNK])
        query = select(Member.placement_parent_id, Member.placement_position, Member.id).where(
            Member.placement_parent_id.in_(chunk)
        )
        found.extend((row[0], row[1], row[2]) for row in session.execute(query))
    return found


def outer_leg(session: Session, start_id: int, position: str) -> list[int]:
    """The chain below ``start_id`` that always takes slot ``position`` (top first)."""
    members = Member.__table__
    leg = (
        select(members.c.id, literal(1).label("step"))
        .where(members.c.placement_parent_id == start_id)
        .where(members.c.placement_position == position)
        .cte("leg", recursive=True)
    )
    leg = leg.union_all(
        select(members.c.id, (leg.c.step + 1).label("step"))
        .join(leg, members.c.placement_parent_id == leg.c.id)
        .where(members.c.placement_position == position)
    )
    return list(session.scalars(select(leg.c.id).order_by(leg.c.step)))


def placement_subtree_size(session: Session, root_id: int) -> int:
    """Members in the placement subtree under ``root_id``, itself included."""
    members = Member.__table__
    below = select(members.c.id).where(members.c.id == root_id).cte("below", recursive=True)
    below = below.union_all(
        select(members.c.id).join(below, members.c.placement_parent_id == below.c.id)
    )
    return int(session.scalar(select(func.count()).select_from(below)) or 0)


def member_exists(session: Session, member_pk: int) -> bool:
    return session.scalar(select(Member.id).where(Member.id == member_pk)) is not None

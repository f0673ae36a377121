"""The dated genealogy history: record changes, and read the tree as of any date.

A member's position and status are a series of rows valid on [valid_from, valid_to). A
change on date D closes the open row (valid_to = D) and opens a new one from the member's
current state (valid_from = D); earlier rows are never rewritten. Several changes on one day
leave empty spans [D, D), which no as-of query ever matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from fairtree.store.models import GenealogyRecord, Member
from fairtree.store.repositories.network.genealogy import CHUNK

ENROLL = "enroll"
MOVE = "move"
ROLL_UP = "roll_up"
TERMINATE = "terminate"
CLOSE = "close"


@dataclass(frozen=True)
class DownlineRow:
    """One member of a downline: internal id, sponsor id (None for the top) and depth."""

    member_pk: int
    sponsor_pk: int | None
    depth: int


def record_changes(
    session: Session, member_pks: Sequence[int], on: date, reason: str, actor: str
) -> None:
    """Close the open rows of ``member_pks`` at ``on`` and open rows from their state now."""
    history: Table = GenealogyRecord.__table__  # type: ignore[assignment]
    members: Table = Member.__table__  # type: ignore[assignment]
    for start in range(0, len(member_pks), CHUNK):
        chunk = list(member_pks[start : start + CHUNK])
        session.execute(
            update(history)
            .where(history.c.member_id.in_(chunk), history.c.valid_to.is_(None))
            .values(valid_to=on)
        )
        session.execute(
            insert(history).from_select(
                [
                    "member_id",
                    "sponsor_id",
                    "placement_parent_id",
                    "placement_position",
                    "valid_from",
                    "valid_to",
                    "status",
                    "reason",
                    "actor",
                ],
                select(
                    members.c.id,
                    members.c.sponsor_id,
                    members.c.placement_parent_id,
                    members.c.placement_position,
                    literal(on, history.c.valid_from.type),
                    literal(None, history.c.valid_to.type),
                    members.c.status,
                    literal(reason, history.c.reason.type),
                    literal(actor, history.c.actor.type),
                ).where(members.c.id.in_(chunk)),
            )
        )


def latest_change(session: Session, member_pks: Sequence[int]) -> date | None:
    """The latest date on which any of ``member_pks`` changed position (open rows)."""
    latest: date | None = None
    for start in range(0, len(member_pks), CHUNK):
        chunk = list(member_pks[start : start + CHUNK])
        found = session.scalar(
            select(func.max(GenealogyRecord.valid_from)).where(
                GenealogyRecord.member_id.in_(chunk), GenealogyRecord.valid_to.is_(None)
            )
        )
        if found is not None and (latest is None or found > latest):
            latest = found
    return latest


def enrollments_by(session: Session, sponsor_pk: int) -> int:
    """How many members ``sponsor_pk`` enrolled (moves and roll-ups do not count)."""
    query = select(func.count()).where(
        GenealogyRecord.sponsor_id == sponsor_pk, GenealogyRecord.reason == ENROLL
    )
    return int(session.scalar(query) or 0)


def _valid_on(on: date) -> ColumnElement[bool]:
    return and_(
        GenealogyRecord.valid_from <= on,
        or_(GenealogyRecord.valid_to.is_(None), GenealogyRecord.valid_to > on),
    )


def position_as_of(session: Session, member_pk: int, on: date) -> GenealogyRecord | None:
    """The row in force for ``member_pk`` on ``on`` (None if not in the network then)."""
    query = select(GenealogyRecord).where(GenealogyRecord.member_id == member_pk, _valid_on(on))
    return session.scalars(query).first()


def statuses_as_of(session: Session, member_pks: Sequence[int], on: date) -> dict[int, str]:
    """The status of each of ``member_pks`` in the row in force on ``on``."""
    found: dict[int, str] = {}
    for start in range(0, len(member_pks), CHUNK):
        chunk = list(member_pks[start : start + CHUNK])
        query = select(GenealogyRecord.member_id, GenealogyRecord.status).where(
            GenealogyRecord.member_id.in_(chunk), _valid_on(on)
        )
        found.update({int(pk): str(status) for pk, status in session.execute(query)})
    return found


def sponsor_edges(on: date | None) -> Select[int, int | None]:
    """(member, sponsor) pairs of the sponsor tree now (``on`` None) or as of ``on``."""
    if on is None:
        return select(Member.id.label("member_pk"), Member.sponsor_id.label("sponsor_pk"))
    return select(
        GenealogyRecord.member_id.label("member_pk"),
        GenealogyRecord.sponsor_id.label("sponsor_pk"),
    ).where(_valid_on(on))


def downline_query(root_pk: int, on: date | None) -> Select[int, int | None, int]:
    """Recursive query: ``root_pk`` and its whole sponsor downline with depths."""
    # Inlined on PostgreSQL: a CTE named twice is otherwise materialized whole (every
    # member) and each level joins the copy without an index; inlined, each level is an
    # index look-up by sponsor (a 300-member downline of 20,000: 45 ms to 1 ms).
    edges = sponsor_edges(on).cte("edges").prefix_with("NOT MATERIALIZED", dialect="postgresql")
    tree = (
        select(edges.c.member_pk, edges.c.sponsor_pk, literal(0).label("depth"))
        .where(edges.c.member_pk == root_pk)
        .cte("downline", recursive=True)
    )
    tree = tree.union_all(
        select(edges.c.member_pk, edges.c.sponsor_pk, (tree.c.depth + 1).label("depth")).join(
            tree, edges.c.sponsor_pk == tree.c.member_pk
        )
    )
    return select(tree.c.member_pk, tree.c.sponsor_pk, tree.c.depth)


def downline(session: Session, root_pk: int, on: date | None = None) -> list[DownlineRow]:
    """``root_pk`` and its sponsor downline, now or as of ``on``, ordered by depth then id."""
    query = downline_query(root_pk, on)
    rows = session.execute(query).all()
    result = [
        DownlineRow(int(pk), sponsor if depth else None, int(depth)) for pk, sponsor, depth in rows
    ]
    result.sort(key=lambda row: (row.depth, row.member_pk))
    return result

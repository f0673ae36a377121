"""One level of the sponsor or placement tree at a time, now or as of a date, with each
member's period volumes; the path from a member up to the top; search in a downline.

A period with a run (finalized, else the latest draft) shows the PV and GV that run
computed and stored beside each member's rank; the open period shows the running
volumes order intake keeps. Either way the figure is the close's own.

A level is one parent's children, sorted and paged in SQL: a parent with 600 children is
read 50 at a time, and nothing is cut at a cap.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from fairtree.store.models import (
    CommissionRun,
    GenealogyRecord,
    Member,
    MemberPeriodVolume,
    RankRecord,
)
from fairtree.store.repositories.network import downline_search
from fairtree.store.repositories.network.sponsor_tree import MAX_DEPTH, subtree_cte

TREES = ("sponsor", "placement")
SORTS = ("name", "id", "pv", "gv", "team", "position", "status")


def _edges(tree: str, on: date | None) -> Select:  # type: ignore[type-arg]
    """(member_pk, parent_pk, position, status) of the tree now, or as of ``on``."""
    if on is None:
        parent = Member.sponsor_id if tree == "sponsor" else Member.placement_parent_id
        return select(
            Member.id.label("member_pk"),
            parent.label("parent_pk"),
            Member.placement_position.label("position"),
            Member.status.label("status"),
        )
    parent = (
        GenealogyRecord.sponsor_id if tree == "sponsor" else GenealogyRecord.placement_parent_id
    )
    return select(
        GenealogyRecord.member_id.label("member_pk"),
        parent.label("parent_pk"),
        GenealogyRecord.placement_position.label("position"),
        GenealogyRecord.status.label("status"),
    ).where(_valid_on(on))


def _valid_on(on: date) -> ColumnElement[bool]:
    return and_(
        GenealogyRecord.valid_from <= on,
        or_(GenealogyRecord.valid_to.is_(None), GenealogyRecord.valid_to > on),
    )


def _parent_of(tree: str, on: date | None, member: Any) -> Select:  # type: ignore[type-arg]
    """The parent of ``member`` (a column) in the tree now or as of ``on``: a lookup by
    the member's key, so a walk up the tree reads one row per step by index."""
    if on is None:
        parent = Member.sponsor_id if tree == "sponsor" else Member.placement_parent_id
        return select(Member.id.label("node"), parent.label("parent")).where(Member.id == member)
    parent = (
        GenealogyRecord.sponsor_id if tree == "sponsor" else GenealogyRecord.placement_parent_id
    )
    return select(GenealogyRecord.member_id.label("node"), parent.label("parent")).where(
        GenealogyRecord.member_id == member, _valid_on(on)
    )


def period_volumes(session: Session, period_key: str) -> Any:
    """(member_pk, pv, gv) of the period, as a subquery: the rank rows of the period's
    run (finalized, else the latest draft, as its ranks are chosen) once it has one,
    else the running volumes."""
    run_id = session.scalar(
        select(CommissionRun.id)
        .where(CommissionRun.period_key == period_key)
        .order_by(CommissionRun.status != "finalized", CommissionRun.id.desc())
        .limit(1)
    )
    table: Any = RankRecord if run_id is not None else MemberPeriodVolume
    chosen = RankRecord.run_id == run_id if run_id is not None else table.period_key == period_key
    return (
        select(
            table.member_id.label("member_pk"),
            table.pv.label("pv"),
            table.group_volume.label("gv"),
        )
        .where(chosen)
        .subquery("volumes")
    )


def child_counts(
    session: Session, parent_pks: list[int], tree: str, on: date | None
) -> dict[int, int]:
    """How many children each of ``parent_pks`` has in the tree: one grouped query."""
    if not parent_pks:
        return {}
    edges = _edges(tree, on).subquery("edges")
    rows = session.execute(
        select(edges.c.parent_pk, func.count())
        .where(edges.c.parent_pk.in_(parent_pks))
        .group_by(edges.c.parent_pk)
    )
    return {int(pk): int(count) for pk, count in rows}


def level(
    session: Session,
    parent_pk: int,
    tree: str,
    on: date | None,
    period_key: str,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[Any], int]:
    """Children of ``parent_pk``: (member_pk, member_id, display_name, status, position,
    pv, gv, children) rows of one page, and how many children there are.

    Three queries whatever the level's size: the page (sorted and paged in SQL; sorted by
    team size through one grouped count of the level's grandchildren), the count of the
    level, and the children of the page's members (one grouped count).
    """
    edges = _edges(tree, on).subquery("edges")
    volumes = period_volumes(session, period_key)
    pv = func.coalesce(volumes.c.pv, 0)
    gv = func.coalesce(volumes.c.gv, 0)
    query = (
        select(
            Member.id,
            Member.member_id,
            Member.display_name,
            edges.c.status,
            edges.c.position,
            pv,
            gv,
        )
        .select_from(edges)
        .join(Member, Member.id == edges.c.member_pk)
        .outerjoin(volumes, volumes.c.member_pk == Member.id)
        .where(edges.c.parent_pk == parent_pk)
    )
    keys: dict[str, Any] = {
        "name": Member.display_name,
        "id": Member.member_id,
        "pv": pv,
        "gv": gv,
        "position": edges.c.position,
        "status": edges.c.status,
    }
    if sort == "team":
        level_pks = select(edges.c.member_pk).where(edges.c.parent_pk == parent_pk)
        below = _edges(tree, on).subquery("below")
        teams = (
            select(below.c.parent_pk, func.count().label("children"))
            .where(below.c.parent_pk.in_(level_pks.scalar_subquery()))
            .group_by(below.c.parent_pk)
            .subquery("teams")
        )
        query = query.outerjoin(teams, teams.c.parent_pk == edges.c.member_pk)
        keys["team"] = func.coalesce(teams.c.children, 0)
    key = keys.get(sort, Member.display_name)
    query = (
        query.order_by(key.desc() if descending else key.asc(), Member.id)
        .limit(limit)
        .offset(offset)
    )
    page = list(session.execute(query))
    total = session.scalar(
        select(func.count()).select_from(edges).where(edges.c.parent_pk == parent_pk)
    )
    counts = child_counts(session, [int(r[0]) for r in page], tree, on)
    return [(*r, counts.get(int(r[0]), 0)) for r in page], int(total or 0)


def node(session: Session, member_pk: int, tree: str, on: date | None, period_key: str) -> Any:
    """(member_pk, member_id, display_name, status, position, pv, gv) of one member, as
    ``level`` gives without the child count (None if not in the tree then)."""
    edges = _edges(tree, on).subquery("edges")
    volumes = period_volumes(session, period_key)
    query = (
        select(
            Member.id,
            Member.member_id,
            Member.display_name,
            edges.c.status,
            edges.c.position,
            func.coalesce(volumes.c.pv, 0),
            func.coalesce(volumes.c.gv, 0),
        )
        .select_from(edges)
        .join(Member, Member.id == edges.c.member_pk)
        .outerjoin(volumes, volumes.c.member_pk == Member.id)
        .where(edges.c.member_pk == member_pk)
    )
    return session.execute(query).first()


def path_up(session: Session, member_pk: int, tree: str, on: date | None) -> list[int]:
    """``member_pk`` and each parent above it up to the top, in one recursive query that
    reads one row per step by the member's key (never the whole tree)."""
    first = _parent_of(tree, on, member_pk).add_columns(literal(0).label("steps"))
    up = first.cte("up", recursive=True)
    step = _parent_of(tree, on, up.c.parent).add_columns(up.c.steps + 1)
    up = up.union_all(step.where(up.c.steps < MAX_DEPTH))
    rows = session.execute(select(up.c.node, up.c.steps).order_by(up.c.steps)).all()
    return [int(r[0]) for r in rows]


def tops(session: Session, tree: str, on: date | None, limit: int) -> tuple[list[int], int]:
    """Members at the top of the tree (no parent) now or as of ``on``, oldest first (at
    most ``limit``), and how many there are."""
    edges = _edges(tree, on).subquery("edges")
    top = edges.c.parent_pk.is_(None)
    pks = session.scalars(
        select(edges.c.member_pk).where(top).order_by(edges.c.member_pk).limit(limit)
    )
    total = session.scalar(select(func.count()).select_from(edges).where(top))
    return [int(pk) for pk in pks], int(total or 0)


def names(session: Session, member_pks: list[int]) -> dict[int, tuple[str, str]]:
    """member pk -> (member id, display name)."""
    if not member_pks:
        return {}
    rows = session.execute(
        select(Member.id, Member.member_id, Member.display_name).where(Member.id.in_(member_pks))
    )
    return {int(pk): (str(mid), str(name)) for pk, mid, name in rows}


def search_downline(session: Session, root_pk: int, text: str, limit: int) -> list[Any]:
    """(member_pk, member_id, display_name, depth) in ``root_pk``'s current sponsor downline
    whose id equals ``text`` or whose display name contains it (case-insensitive): the
    first ``limit`` by depth, display name and pk, found without reading the whole
    downline (``downline_search``)."""
    return downline_search.search(session, root_pk, text, limit)


def downline_arrays(session: Session, root_pk: int, period_key: str) -> dict[str, Any]:
    """The whole current sponsor downline of ``root_pk`` (not the root) as columns, in one
    query: pk, member_id, display_name, status, joined_on, depth, pv, gv."""
    down = subtree_cte(root_pk)
    volumes = period_volumes(session, period_key)
    query = (
        select(
            Member.id,
            Member.member_id,
            Member.display_name,
            Member.status,
            Member.joined_on,
            down.c.depth,
            func.coalesce(volumes.c.pv, 0),
            func.coalesce(volumes.c.gv, 0),
        )
        .join(down, down.c.node == Member.id)
        .outerjoin(volumes, volumes.c.member_pk == Member.id)
        .where(down.c.depth > 0)
    )
    rows = session.execute(query).all()
    names = ("pk", "member_id", "display_name", "status", "joined_on", "depth", "pv", "gv")
    return {name: [r[i] for r in rows] for i, name in enumerate(names)}

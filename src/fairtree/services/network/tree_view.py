"""The genealogy viewer's reads: one level of the sponsor or placement tree per request,
the path from the viewer down to any member of their team, and search in the own downline.
Staff see the same levels over the whole company (``company_level``), from the top.

A member sees their own downline only: any other member asked for answers "no such
member" (the same 404 as a member that does not exist). Every member shown to someone
else is a read of that member's team data and is logged (the "who read my data" view
groups these reads by reader and kind).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.periods import Period
from fairtree.services.access.access_log import log_reads
from fairtree.services.access.authorization import DataKind, authorize_company_read
from fairtree.services.access.principal import Principal
from fairtree.services.network.binary_carry import BinarySource, level_binary
from fairtree.services.network.ranks import shown_ranks
from fairtree.store.models import Member
from fairtree.store.repositories.network import members as members_repo
from fairtree.store.repositories.network import tree_levels

TREES = tree_levels.TREES
SORTS = tree_levels.SORTS


@dataclass(frozen=True)
class TreeNode:
    member_id: str
    display_name: str
    status: str
    position: str | None  # placement tree: left/right (binary) or the matrix slot
    level: int  # 0 = the viewer, 1 = their frontline, ...
    rank: str | None  # paid-as rank in the period's run; before it, the rank held
    pv: int  # hundredths of a point, from the period volumes the close and live progress use
    gv: int
    children: int
    rank_held: bool = False  # ``rank`` is the rank held: the period has no run yet
    carry: tuple[int, int] | None = None  # binary carry (left, right), hundredths of a point
    legs: tuple[int, int] | None = None  # binary leg volumes compared (left, right), same


@dataclass(frozen=True)
class TreeLevel:
    tree: str
    period: str
    as_of: date | None
    parent: TreeNode
    path: list[tuple[str, str]]  # (member id, display name) from the viewer to the parent
    nodes: list[TreeNode]
    total: int  # children of the parent, all pages
    binary: BinarySource | None = None  # which run ``carry`` and ``legs`` come from


@dataclass(frozen=True)
class SearchHit:
    member_id: str
    display_name: str
    level: int


def _node(row, level: int, ranks: dict[int, str], held: bool) -> TreeNode:  # type: ignore[no-untyped-def]
    pk, member_id, name, status, position, pv, gv, children = row
    return TreeNode(
        str(member_id),
        str(name),
        str(status),
        position,
        level,
        ranks.get(int(pk)),
        int(pv),
        int(gv),
        int(children),
        held and int(pk) in ranks,
    )


def tree_level(
    session: Session,
    reader: Principal,
    viewer: Member,
    parent_id: str | None,
    tree: str,
    period: Period,
    as_of: date | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> TreeLevel:
    """The children of ``parent_id`` (default: the viewer) in the viewer's downline.

    A constant number of queries whatever the level's size: the path, the page with
    the level's count and the page's child counts, the parent, ranks, names, the log.
    """
    tree = tree if tree in TREES else "sponsor"
    parent_pk = viewer.id
    if parent_id and parent_id != viewer.member_id:
        found = members_repo.member_by_external_id(session, parent_id)
        if found is None:
            raise NotFoundError(f"no member {parent_id!r} in your team")
        parent_pk = found.id
    path = tree_levels.path_up(session, parent_pk, tree, as_of)
    if viewer.id not in path:
        raise NotFoundError(f"no member {parent_id!r} in your team")
    path = list(reversed(path[: path.index(viewer.id) + 1]))  # viewer first
    return _level(
        session, reader, parent_pk, path, tree, period, as_of, sort, descending, limit, offset
    )


@dataclass(frozen=True)
class CompanyLevel:
    """One level of the whole company's tree, and the members at its top (usually one)."""

    level: TreeLevel
    tops: list[tuple[str, str]]  # (member id, display name), at most TOPS_SHOWN
    tops_total: int


TOPS_SHOWN = 20


def company_level(
    session: Session,
    reader: Principal,
    parent_id: str | None,
    tree: str,
    period: Period,
    as_of: date | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> CompanyLevel:
    """The children of ``parent_id`` (default: the first member at the top) anywhere in
    the company, for staff; the path runs from the top of the tree. Every member shown
    is logged as a read of their team data, as in a member's own viewer."""
    authorize_company_read(reader, DataKind.TEAM)
    tree = tree if tree in TREES else "sponsor"
    top_pks, tops_total = tree_levels.tops(session, tree, as_of, TOPS_SHOWN)
    if parent_id:
        found = members_repo.member_by_external_id(session, parent_id)
        if found is None:
            raise NotFoundError(f"no member {parent_id!r}")
        parent_pk = found.id
    elif top_pks:
        parent_pk = top_pks[0]
    else:
        raise NotFoundError("the company has no members in this tree yet")
    path = list(reversed(tree_levels.path_up(session, parent_pk, tree, as_of)))  # top first
    if not path:
        raise NotFoundError(f"no member {parent_id!r} in the {tree} tree then")
    level = _level(
        session, reader, parent_pk, path, tree, period, as_of, sort, descending, limit, offset
    )
    labels = tree_levels.names(session, top_pks)
    return CompanyLevel(level, [labels[pk] for pk in top_pks], tops_total)


def _level(
    session: Session,
    reader: Principal,
    parent_pk: int,
    path: list[int],
    tree: str,
    period: Period,
    as_of: date | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> TreeLevel:
    """One page of ``parent_pk``'s children; ``path`` runs from where the view starts
    down to the parent. Each member shown is logged as a read of their team data."""
    depth = len(path) - 1
    rows, total = tree_levels.level(
        session, parent_pk, tree, as_of, period.key, sort, descending, limit, offset
    )
    parent_row = tree_levels.node(session, parent_pk, tree, as_of, period.key)
    if parent_row is None:
        raise NotFoundError(f"no member {parent_pk} in the {tree} tree then")
    pks = [int(r[0]) for r in rows]
    ranks, held = shown_ranks(session, period.key, [parent_pk, *pks])
    labels = tree_levels.names(session, path)
    log_reads(
        session, reader, [(pk, f"{tree} tree") for pk in [parent_pk, *pks]], DataKind.TEAM, None
    )
    parent = _node((*parent_row, total), depth, ranks, held)
    nodes = [_node(r, depth + 1, ranks, held) for r in rows]
    binary = level_binary(session, period, [parent_pk, *pks]) if tree == "placement" else None
    if binary is not None:
        parent = replace(parent, carry=binary.carry[parent_pk], legs=binary.legs.get(parent_pk))
        nodes = [
            replace(n, carry=binary.carry[pk], legs=binary.legs.get(pk))
            for n, pk in zip(nodes, pks, strict=True)
        ]
    return TreeLevel(
        tree=tree,
        period=period.key,
        as_of=as_of,
        parent=parent,
        path=[labels[pk] for pk in path],
        nodes=nodes,
        total=total,
        binary=binary.source if binary is not None else None,
    )


def search_downline(
    session: Session, reader: Principal, viewer: Member, text: str, limit: int = 50
) -> list[SearchHit]:
    """Members of the viewer's current sponsor downline by id or part of the display name."""
    text = text.strip()
    if not text:
        return []
    rows = tree_levels.search_downline(session, viewer.id, text[:100], limit)
    log_reads(session, reader, [(int(r[0]), "search") for r in rows], DataKind.TEAM, None)
    return [SearchHit(str(r[1]), str(r[2]), int(r[3])) for r in rows]

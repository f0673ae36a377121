"""Reading the network: sponsors and downlines now or as of a past date, with volumes.

History answers come from the dated genealogy history only (rows valid on the date),
so a later move or termination never changes what the tree looked like before it.
Group volume is computed set-based: one query returns the member's whole downline with
each member's PV, the downline becomes preorder arrays, and every subtree sum is a
prefix-sum difference; no query or loop per member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.genealogy.tree import build_tree
from fairtree.periods import Period
from fairtree.store.repositories.network import genealogy as tree_repo
from fairtree.store.repositories.network import genealogy_history, volumes


def _member_pk(session: Session, member_id: str) -> int:
    return tree_repo.require_member(session, member_id, f"member {member_id!r}", "member_id").id


def sponsor_as_of(session: Session, member_id: str, on: date) -> str | None:
    """The sponsor of ``member_id`` on ``on`` (None for the top of the tree).

    NotFoundError when the member was not in the network on that date.
    """
    row = genealogy_history.position_as_of(session, _member_pk(session, member_id), on)
    if row is None:
        raise NotFoundError(f"member {member_id!r} [joined_on]: not in the network on {on}")
    if row.sponsor_id is None:
        return None
    return tree_repo.external_ids(session, [row.sponsor_id])[row.sponsor_id]


def downline_as_of(
    session: Session, member_id: str, on: date | None = None, depth: int | None = None
) -> dict[str, int]:
    """``member_id``'s sponsor downline (itself excluded) as of ``on``: member id -> level."""
    root = _member_pk(session, member_id)
    if on is not None and genealogy_history.position_as_of(session, root, on) is None:
        raise NotFoundError(f"member {member_id!r} [joined_on]: not in the network on {on}")
    rows = [
        row
        for row in genealogy_history.downline(session, root, on)
        if row.depth > 0 and (depth is None or row.depth <= depth)
    ]
    names = tree_repo.external_ids(session, [row.member_pk for row in rows])
    return {names[row.member_pk]: row.depth for row in rows}


@dataclass(frozen=True)
class DownlineNode:
    """One member in a downline report; volumes in hundredths of a point."""

    member_id: str
    display_name: str
    status: str
    level: int
    personal_volume: int
    group_volume: int
    children: tuple[DownlineNode, ...]


def downline_report(
    session: Session,
    member_id: str,
    period: Period,
    *,
    depth: int | None = None,
    on: date | None = None,
) -> DownlineNode:
    """The downline tree of ``member_id`` (now, or as of ``on``) down to ``depth`` levels.

    Group volume of each shown member covers its full downline, also the levels not shown.
    """
    root = _member_pk(session, member_id)
    if on is not None and genealogy_history.position_as_of(session, root, on) is None:
        raise NotFoundError(f"member {member_id!r} [joined_on]: not in the network on {on}")
    found = volumes.downline_with_volume(session, root, period, on)
    member_pk, pv = found["member_pk"], found["pv"]
    order = np.argsort(member_pk, kind="stable")
    member_pk, pv = member_pk[order], pv[order]
    sponsor_pk, level = found["sponsor_pk"][order], found["depth"][order]
    parent = np.where(sponsor_pk >= 0, np.searchsorted(member_pk, sponsor_pk), -1)
    tree = build_tree(parent)
    group = np.empty_like(pv)
    group[tree.order] = tree.subtree_sum(pv[tree.order])
    shown = np.flatnonzero(level <= depth) if depth is not None else np.arange(member_pk.size)
    labels = volumes.member_labels(session, member_pk[shown])
    terminated = _terminated_as_of(session, member_pk[shown], on)
    return _assemble(shown, member_pk, parent, level, pv, group, labels, terminated, on)


def _terminated_as_of(session: Session, member_pks: np.ndarray, on: date | None) -> set[int]:
    if on is None:
        return set()
    return genealogy_history.terminated_on_or_before(session, member_pks.tolist(), on)


def _status(label: tuple[str, str, str, date], pk: int, on: date | None, ended: set[int]) -> str:
    """Status as of ``on``: terminated only if the termination had happened by then."""
    status = label[2]
    if on is None:
        return status
    if pk in ended:
        return "terminated"
    return "active" if status == "terminated" else status


def _assemble(
    shown: np.ndarray,
    member_pk: np.ndarray,
    parent: np.ndarray,
    level: np.ndarray,
    pv: np.ndarray,
    group: np.ndarray,
    labels: dict[int, tuple[str, str, str, date]],
    ended: set[int],
    on: date | None = None,
) -> DownlineNode:
    """Nodes built bottom-up over the shown members only (the report size, not the network)."""
    children: dict[int, list[DownlineNode]] = {}
    root: DownlineNode | None = None
    deepest_first = sorted(
        shown.tolist(), key=lambda i: (-int(level[i]), labels[int(member_pk[i])][0])
    )
    for index in deepest_first:
        pk = int(member_pk[index])
        node = DownlineNode(
            member_id=labels[pk][0],
            display_name=labels[pk][1],
            status=_status(labels[pk], pk, on, ended),
            level=int(level[index]),
            personal_volume=int(pv[index]),
            group_volume=int(group[index]),
            children=tuple(sorted(children.pop(index, []), key=lambda n: n.member_id)),
        )
        if parent[index] < 0:
            root = node
        else:
            children.setdefault(int(parent[index]), []).append(node)
    assert root is not None
    return root

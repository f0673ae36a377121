"""Reading the network: sponsors and downlines now or as of a past date, with volumes.

History answers come from the dated genealogy history only (rows valid on the date),
so a later move or termination never changes what the tree looked like before it.
Volumes are counted by the close's rule (``period_volumes``), set-based; no query or
loop per member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.periods import Period
from fairtree.services.network.period_volumes import downline_volumes
from fairtree.store.repositories.network import genealogy as tree_repo
from fairtree.store.repositories.network import genealogy_history, volumes
from fairtree.store.repositories.network import members as members_repo


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
    return members_repo.external_ids(session, [row.sponsor_id])[row.sponsor_id]


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
    names = members_repo.external_ids(session, [row.member_pk for row in rows])
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
    found = downline_volumes(session, root, period, on)
    member_pk, parent, level = found.member_pk, found.parent, found.depth
    pv, group = found.pv, found.gv
    shown = np.flatnonzero(level <= depth) if depth is not None else np.arange(member_pk.size)
    labels = volumes.member_labels(session, member_pk[shown])
    statuses = _statuses(session, member_pk[shown], labels, on)
    return _assemble(shown, member_pk, parent, level, pv, group, labels, statuses)


def _statuses(
    session: Session,
    member_pks: np.ndarray,
    labels: dict[int, tuple[str, str, str, date]],
    on: date | None,
) -> dict[int, str]:
    """Each member's status now, or as of ``on`` (from the dated history)."""
    if on is None:
        return {pk: label[2] for pk, label in labels.items()}
    then = genealogy_history.statuses_as_of(session, member_pks.tolist(), on)
    return {pk: then.get(pk, label[2]) for pk, label in labels.items()}


def _assemble(
    shown: np.ndarray,
    member_pk: np.ndarray,
    parent: np.ndarray,
    level: np.ndarray,
    pv: np.ndarray,
    group: np.ndarray,
    labels: dict[int, tuple[str, str, str, date]],
    statuses: dict[int, str],
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
            status=statuses[pk],
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

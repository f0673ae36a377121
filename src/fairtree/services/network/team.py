"""The team view: what an upline may see of a downline (display name, rank, volumes).

Volumes come from orders in the period: PV per member in one grouped query, GV as
subtree sums over the preorder arrays of the whole subtree (no per-member queries,
no Python loop over members). Only the requested page is turned into rows, and each
member shown is one access-log row (a single INSERT).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from fairtree.genealogy.tree import build_tree
from fairtree.periods import Period
from fairtree.services.access.access_log import log_reads
from fairtree.services.access.authorization import DataKind
from fairtree.services.access.principal import Principal
from fairtree.services.network.ranks import paid_as_names
from fairtree.store.models import Member
from fairtree.store.repositories.network import sponsor_tree


@dataclass(frozen=True)
class TeamRow:
    member_id: str
    display_name: str
    depth: int  # 0 is the member the view is of
    rank: str | None  # paid-as rank in the period's run; None before a close or below all ranks
    pv: int  # hundredths of a point
    gv: int


@dataclass(frozen=True)
class TeamPage:
    period: str
    total: int
    rows: list[TeamRow]


def team_view(
    session: Session,
    reader: Principal,
    root: Member,
    period: Period,
    max_depth: int,
    limit: int,
    offset: int,
) -> TeamPage:
    pks, sponsors = sponsor_tree.subtree(session, root.id)
    order = np.argsort(pks, kind="stable")
    pks, sponsors = pks[order], sponsors[order]
    parent = np.searchsorted(pks, sponsors)
    inside = (sponsors >= 0) & (parent < pks.size)
    inside[inside] = pks[parent[inside]] == sponsors[inside]
    parent = np.where(inside, parent, -1)
    tree = build_tree(parent)
    pv = np.zeros(pks.size, dtype=np.int64)
    with_orders, volumes = sponsor_tree.subtree_personal_volumes(
        session, root.id, period.start, period.end
    )
    if with_orders.size:
        pv[np.searchsorted(pks, with_orders)] = volumes
    pv_pre = pv[tree.order]
    gv_pre = tree.subtree_sum(pv_pre)
    shown = np.flatnonzero(tree.depth <= max_depth)  # preorder: parents before children
    page = shown[offset : offset + limit]
    page_pks = pks[tree.order[page]].tolist()
    members = sponsor_tree.members_by_pks(session, page_pks)
    ranks = paid_as_names(session, period.key, page_pks)
    rows = [
        TeamRow(
            member_id=members[pk].member_id,
            display_name=members[pk].display_name,
            depth=int(tree.depth[pos]),
            rank=ranks.get(pk),
            pv=int(pv_pre[pos]),
            gv=int(gv_pre[pos]),
        )
        for pos, pk in zip(page.tolist(), page_pks, strict=True)
    ]
    # Each member shown is a read of their data (the reader's own row is skipped).
    log_reads(session, reader, [(pk, "team") for pk in page_pks], DataKind.TEAM, None)
    return TeamPage(period=period.key, total=int(shown.size), rows=rows)

"""The team view: what an upline may see of a downline (display name, rank, volumes).

The team is today's; each member's volumes are counted by the close's rule
(``period_volumes``), set-based, no per-member query or loop. Only the requested page
is turned into rows, and each member shown is one access-log row (a single INSERT).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.services.access.access_log import log_reads
from fairtree.services.access.authorization import DataKind
from fairtree.services.access.principal import Principal
from fairtree.services.network.period_volumes import downline_volumes
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
    found = downline_volumes(session, root.id, period)
    pks, tree = found.member_pk, found.tree
    pv_pre, gv_pre = found.pv[tree.order], found.gv[tree.order]
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

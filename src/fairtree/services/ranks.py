"""Rank history: paid-as and highest-achieved rank of a member, period by period."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.services.close import plan_document
from fairtree.store.models import PlanVersion
from fairtree.store.repositories import ranks


@dataclass(frozen=True)
class RankEntry:
    period_key: str
    paid_as: str | None
    highest: str | None
    pv: int  # hundredths of a point
    group_volume: int


def rank_history(session: Session, member_id: str, include_drafts: bool = False) -> list[RankEntry]:
    """The member's ranks in every finalized period (and open drafts when asked)."""
    rows = ranks.member_rank_rows(session, member_id, include_drafts)
    if rows is None:
        raise NotFoundError(f"no member {member_id!r}")
    names: dict[int, tuple[str, ...]] = {}
    entries = []
    for row in rows:
        if row.plan_version_id not in names:
            version = session.get(PlanVersion, row.plan_version_id)
            assert version is not None
            plan = plan_document(version).base
            names[row.plan_version_id] = tuple(rank.name for rank in plan.ranks)
        rank_names = names[row.plan_version_id]
        entries.append(
            RankEntry(
                period_key=row.period_key,
                paid_as=rank_names[row.paid_as_rank - 1] if row.paid_as_rank else None,
                highest=rank_names[row.highest_rank - 1] if row.highest_rank else None,
                pv=row.pv,
                group_volume=row.group_volume,
            )
        )
    return entries

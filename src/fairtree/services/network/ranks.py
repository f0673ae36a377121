"""Rank history: paid-as and highest-achieved rank of a member, period by period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.periods import Period
from fairtree.services.commissions.close import plan_document
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.network import ranks


@dataclass(frozen=True)
class RankEntry:
    period_key: str
    paid_as: str | None
    highest: str | None
    pv: int  # hundredths of a point
    group_volume: int


def _rank_names(session: Session, plan_version_id: int) -> tuple[str, ...]:
    version = company_repo.plan_version_by_pk(session, plan_version_id)
    assert version is not None
    return tuple(rank.name for rank in plan_document(version).base.ranks)


def paid_as_names(session: Session, period_key: str, member_pks: list[int]) -> dict[int, str]:
    """Paid-as rank names in the period's run (finalized, else draft); absent = no rank."""
    version_id, numbers = ranks.period_paid_as(session, period_key, member_pks)
    if version_id is None or not numbers:
        return {}
    names = _rank_names(session, version_id)
    return {pk: names[number - 1] for pk, number in numbers.items()}


def shown_ranks(
    session: Session, period_key: str, member_pks: list[int]
) -> tuple[dict[int, str], bool]:
    """The ranks a tree of the period shows, and whether they are the ranks held: the
    period's paid-as ranks once it has a run; before that (the open period) the rank
    each member holds going into it (paid as in the latest finalized period)."""
    version_id, numbers = ranks.period_paid_as(session, period_key, member_pks)
    if version_id is None:
        return held_rank_names(session, Period.parse(period_key).start, member_pks), True
    if not numbers:
        return {}, False
    names = _rank_names(session, version_id)
    return {pk: names[number - 1] for pk, number in numbers.items()}, False


def held_rank_names(session: Session, before: date, member_pks: list[int]) -> dict[int, str]:
    """The rank each member holds going into the period starting ``before``: paid-as in
    the latest finalized period before it; absent = no rank."""
    version_id, numbers = ranks.held_paid_as(session, before, member_pks)
    if version_id is None or not numbers:
        return {}
    names = _rank_names(session, version_id)
    return {pk: names[number - 1] for pk, number in numbers.items()}


def rank_history(session: Session, member_id: str, include_drafts: bool = False) -> list[RankEntry]:
    """The member's ranks in every finalized period (and open drafts when asked)."""
    rows = ranks.member_rank_rows(session, member_id, include_drafts)
    if rows is None:
        raise NotFoundError(f"no member {member_id!r}")
    names: dict[int, tuple[str, ...]] = {}
    entries = []
    for row in rows:
        if row.plan_version_id not in names:
            names[row.plan_version_id] = _rank_names(session, row.plan_version_id)
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

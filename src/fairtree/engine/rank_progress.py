"""Rank progress: which rank a member's live volumes reach, and what the next one needs.

Pure: it takes one member's current figures (own PV, group volume, each frontline
leg's group volume, how many frontline members are active) and the plan. Conditions
that need the whole network's ranks (``legs_with_rank``) are reported as settled at
the close, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fairtree.engine.ranks import leg_cap
from fairtree.plans.schema import Plan, RankConditions


@dataclass(frozen=True)
class LiveFigures:
    pv: int  # hundredths of a point
    group_volume: int
    capped_legs: dict[int, int] = field(default_factory=dict)  # cap -> Σ min(leg GV, cap)
    active_frontline: int = 0
    status_allowed: bool = True


def leg_caps(plan: Plan) -> list[int]:
    """Every per-leg cap the plan's max-leg conditions use."""
    caps = set()
    for rank in plan.ranks:
        rule = rank.conditions.max_leg
        if rule is not None:
            caps.add(leg_cap(rule.requirement, rule.max_leg_percent, rule.max_leg_volume))
    return sorted(caps)


def capped_legs(leg_volumes: list[int], caps: list[int]) -> dict[int, int]:
    """Σ min(leg, cap) for each cap, from a list of frontline leg group volumes."""
    return {cap: sum(min(leg, cap) for leg in leg_volumes) for cap in caps}


@dataclass(frozen=True)
class Need:
    condition: str
    have: int | None  # None when only the close can tell
    need: int

    @property
    def missing(self) -> int | None:
        return None if self.have is None else max(self.need - self.have, 0)

    @property
    def met(self) -> bool | None:
        return None if self.have is None else self.have >= self.need


@dataclass(frozen=True)
class RankProgress:
    rank: str | None  # highest rank the live figures reach so far
    next_rank: str | None  # the rank above the higher of ``rank`` and ``held``
    needs: list[Need] = field(default_factory=list)
    held: str | None = None  # the rank the member holds (paid as in the last closed period)


def _needs(conditions: RankConditions, figures: LiveFigures, plan: Plan) -> list[Need]:
    needs = []
    if conditions.pv is not None:
        needs.append(Need("pv", figures.pv, conditions.pv))
    if conditions.group_volume is not None:
        needs.append(Need("group_volume", figures.group_volume, conditions.group_volume))
    if conditions.max_leg is not None:
        rule = conditions.max_leg
        cap = leg_cap(rule.requirement, rule.max_leg_percent, rule.max_leg_volume)
        counted = figures.pv + figures.capped_legs.get(cap, 0)
        needs.append(Need("max_leg_volume", counted, rule.requirement))
    for condition in conditions.legs_with_rank:
        needs.append(Need(f"legs_with_{condition.rank}", None, condition.legs))
    if conditions.active_personal is not None:
        needs.append(Need("active_personal", figures.active_frontline, conditions.active_personal))
    return needs


def _merged(needs: list[Need]) -> list[Need]:
    """One need per condition, in first-seen order; a later (higher) rank's figure wins."""
    by_condition: dict[str, Need] = {}
    for need in needs:
        by_condition[need.condition] = need
    return list(by_condition.values())


def rank_progress(plan: Plan, figures: LiveFigures, held: str | None = None) -> RankProgress:
    """The rank reached by live figures and what the next rank needs.

    The next rank is the one above the higher of the rank the live figures reach and
    ``held``, the rank the member holds (paid as in the last closed period): a member
    paid as Builder works towards the rank above Builder, not towards the first rank.
    Ranks are cumulative (``engine.ranks``), so the needs are those of every rank from
    the first one not reached up to the next rank, one line per condition (the higher
    rank's figure where two ranks set the same condition), after the activity volume
    when the member is not active yet. A member who holds the top rank has no next
    rank; the needs are then those of holding it again this period.
    """
    names = [rank.name for rank in plan.ranks]
    active = figures.status_allowed and figures.pv >= plan.activity.min_pv
    reached = 0  # ranks reached so far, counted from the first
    for rank in plan.ranks:
        if not active or not all(n.met for n in _needs(rank.conditions, figures, plan)):
            break
        reached += 1
    held_rank = held if held in names else None
    floor = max(reached, names.index(held_rank) + 1 if held_rank is not None else 0)
    rank_now = names[reached - 1] if reached else None
    if reached == len(names):
        return RankProgress(rank_now, None, [], held_rank)
    needs: list[Need] = []
    if not active:
        needs.append(Need("active_pv", figures.pv, plan.activity.min_pv))
    # Holding the top rank, the needs are those of keeping it this period.
    for rank in plan.ranks[reached : min(floor + 1, len(names))]:
        needs.extend(_needs(rank.conditions, figures, plan))
    next_rank = names[floor] if floor < len(names) else None
    return RankProgress(rank_now, next_rank, _merged(needs), held_rank)

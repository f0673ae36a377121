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
    next_rank: str | None
    needs: list[Need] = field(default_factory=list)


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


def rank_progress(plan: Plan, figures: LiveFigures) -> RankProgress:
    """The rank reached by live figures and the needs of the next rank."""
    active = figures.status_allowed and figures.pv >= plan.activity.min_pv
    reached: str | None = None
    activity = Need("active_pv", figures.pv, plan.activity.min_pv)
    for rank in plan.ranks:
        needs = _needs(rank.conditions, figures, plan)
        if not active:
            return RankProgress(reached, rank.name, [activity, *needs])
        if not all(need.met for need in needs):
            return RankProgress(reached, rank.name, needs)
        reached = rank.name
    return RankProgress(reached, None, [])

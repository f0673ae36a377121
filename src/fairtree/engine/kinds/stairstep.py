"""Stairstep (differential) with breakaway and generation overrides, Amway-style.

Each member's *own group* is their subtree minus the legs that broke away below them.
The bracket table maps own group PV to a percentage ``pct``. A member earns

    pct(own) x own group volume  -  Σ over frontline legs that did not break away of
    pct(leg) x that leg's own group volume

(``volume`` names the paid volume, BV by default). A leg breaks away when its head
qualifies (``breakaway.rank`` and/or ``breakaway.group_volume``, see the schema); its
subtree then leaves every group above it, and the leader of the group it left earns
generation overrides on it: gen 1 goes to the nearest group head above the leg (a
breakaway member or the top of the network), gen 2 to the head above that, and so on,
at ``generation_rates[k-1]`` x the leg's own group volume.

Qualification: a receiver must be active and at ``min_rank``; overrides also need
``generation_min_rank``. An unqualified receiver's part is breakage (nothing rolls
up); the upline still subtracts that member's bracket amount.

Pool: the top bracket rate x all volume (what the differential pays when every group
head stands in the top bracket) plus every generation rate x every broken-away group.
Rounding: per member, differential plus overrides is rounded once.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from fairtree.engine.breakaway import leader_above, own_group, volume_breakaways
from fairtree.engine.context import Context, volume_pay, volume_pay_scale
from fairtree.engine.kinds.stairstep_reference import stairstep_reference
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import Contribution, TraceLine, trace_line
from fairtree.money import format_points, round_div
from fairtree.plans.bonus_kinds import BonusBase, PlanFacts, Strict, VolumeName
from fairtree.plans.values import RATE_SCALE, Rate, Volume


class Bracket(Strict):
    min_volume: Volume
    rate: Rate


class RelativeRank(Strict):
    """A rank named relative to the sponsor's: the leg's leader holds a rank and at
    least the sponsor's rank plus ``relative`` (0: the same rank as the sponsor or
    higher, 1: one above it, -1: one below it)."""

    relative: int = Field(ge=-64, le=64)


class Breakaway(Strict):
    """When a leg leaves its sponsor's group, and the overrides paid on it.

    A member (not a root) breaks away when it holds ``rank`` (the pay rank; a rank
    name, or ``{relative: k}``: a rank k above its sponsor's) and/or, when
    ``group_volume`` is given, is active with its own group PV (after its own
    breakaways left) at or above it. Give at least one; both must hold when both
    are given.
    """

    rank: str | RelativeRank | None = None
    group_volume: Volume | None = None
    generation_rates: list[Rate] = Field(default_factory=list)  # override on gen 1, 2, ...
    generation_min_rank: str | None = None  # receiver rank needed to earn overrides
    # generations paid, by receiver rank (highest listed rank <= own); None: all
    generations_by_rank: dict[str, int] | None = None

    @model_validator(mode="after")
    def _some_condition(self) -> Breakaway:
        if self.rank is None and self.group_volume is None:
            raise ValueError("give rank, group_volume or both")
        return self


class Stairstep(BonusBase):
    """Differential: pct(own group volume) x group volume minus the same for each leg."""

    kind: Literal["stairstep"]
    volume: VolumeName = "bv"
    brackets: list[Bracket] = Field(min_length=1)
    breakaway: Breakaway | None = None

    def check(self, plan: PlanFacts, where: str) -> None:
        """Brackets go up in volume and never down in rate, so no differential is
        negative; breakaway ranks exist."""
        for i in range(1, len(self.brackets)):
            lower, upper = self.brackets[i - 1], self.brackets[i]
            if upper.min_volume <= lower.min_volume:
                plan.bad(
                    f"{where}.brackets[{i}].min_volume",
                    "min_volume",
                    "brackets must be listed by strictly increasing min_volume",
                )
            if upper.rate < lower.rate:
                plan.bad(
                    f"{where}.brackets[{i}].rate",
                    "rate",
                    "a higher bracket must not pay a lower rate "
                    "(the differential would go negative)",
                )
        breakaway = self.breakaway
        if breakaway is None:
            return
        if isinstance(breakaway.rank, str):
            plan.rank_ref(f"{where}.breakaway.rank", "rank", breakaway.rank)
        plan.rank_ref(
            f"{where}.breakaway.generation_min_rank",
            "generation_min_rank",
            breakaway.generation_min_rank,
        )
        if breakaway.generation_min_rank and not breakaway.generation_rates:
            plan.bad(
                f"{where}.breakaway.generation_min_rank",
                "generation_min_rank",
                "names a rank for overrides but generation_rates is empty",
            )
        generations = len(breakaway.generation_rates)
        for name, value in (breakaway.generations_by_rank or {}).items():
            location = f"{where}.breakaway.generations_by_rank.{name}"
            plan.rank_ref(location, "generations_by_rank", name)
            if not 0 <= value <= generations:
                plan.bad(location, "generations_by_rank", f"must be 0..{generations}")


def bracket_rates(config: Stairstep, group_pv: np.ndarray) -> np.ndarray:
    """Rate of the highest bracket whose ``min_volume`` the group PV reaches (0 below)."""
    mins = np.array([b.min_volume for b in config.brackets], dtype=np.int64)
    rates = np.array([0] + [b.rate for b in config.brackets], dtype=np.int64)
    return rates[np.searchsorted(mins, group_pv, side="right")]


def rank_above_sponsor(ctx: Context, relative: int) -> np.ndarray:
    """Members holding a rank at least ``relative`` above their sponsor's (roots never)."""
    rank = ctx.pay_rank.astype(np.int64)
    parent = ctx.tree.parent
    sponsor_rank = rank[np.maximum(parent, 0)]
    return (parent >= 0) & (rank >= 1) & (rank >= sponsor_rank + relative)


def breakaways(ctx: Context, config: Stairstep) -> np.ndarray:
    """Members (never a root) whose leg leaves their sponsor's group this period."""
    rule = config.breakaway
    if rule is None:
        return np.zeros(ctx.size, dtype=bool)
    if isinstance(rule.rank, RelativeRank):
        eligible = rank_above_sponsor(ctx, rule.rank.relative)
    elif rule.rank is not None:
        eligible = ctx.rank_at_least(rule.rank)
    else:
        eligible = ctx.active.copy()
    if rule.group_volume is None:
        return eligible & (ctx.tree.parent >= 0)
    return volume_breakaways(ctx.tree, ctx.pv, eligible & ctx.active, rule.group_volume)


def _generations(
    ctx: Context, config: Stairstep, leaders: np.ndarray
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Per generation k: (k, breakaway leaders, their gen-k receivers)."""
    rule = config.breakaway
    if rule is None or not rule.generation_rates:
        return
    up = leader_above(ctx.tree, leaders)
    sources = np.flatnonzero(leaders)
    receivers = sources
    for generation in range(1, len(rule.generation_rates) + 1):
        receivers = up[receivers]
        has = receivers >= 0
        sources, receivers = sources[has], receivers[has]
        if sources.size == 0:
            return
        yield generation, sources, receivers


class _Figures:
    """Everything evaluate and explain share, computed once per call."""

    def __init__(self, ctx: Context, config: Stairstep) -> None:
        self.leaders = breakaways(ctx, config)
        self.group_pv = own_group(ctx.tree, ctx.pv, self.leaders)
        self.group_volume = own_group(ctx.tree, ctx.volume(config.volume), self.leaders)
        self.rate = bracket_rates(config, self.group_pv)
        self.qualified = ctx.active & ctx.rank_at_least(config.min_rank)
        rule = config.breakaway
        gen_rank = rule.generation_min_rank if rule is not None else None
        self.override_ok = self.qualified & ctx.rank_at_least(gen_rank)
        table = rule.generations_by_rank if rule is not None else None
        self.generations = ctx.by_rank(table, len(rule.generation_rates) if rule else 0)
        self.own_amount = self.rate * self.group_volume  # rate units x hundredths
        stays = np.where(self.leaders, 0, self.own_amount)
        self.differential = self.own_amount - ctx.tree.children_sum(stays)


def _pool(ctx: Context, config: Stairstep, group_volume: np.ndarray, leaders: np.ndarray) -> int:
    top = config.brackets[-1].rate
    numerator = top * int(ctx.volume(config.volume).sum())
    if config.breakaway is not None:
        numerator += sum(config.breakaway.generation_rates) * int(group_volume[leaders].sum())
    multiplier, denominator = volume_pay_scale(ctx.plan.currency)
    return round_div(numerator * multiplier, denominator, ctx.rounding)


@register(Stairstep)
class StairstepKind:
    @staticmethod
    def evaluate(ctx: Context, config: Stairstep) -> BonusOutcome:
        f = _Figures(ctx, config)
        numerator = np.where(f.qualified, f.differential, 0)
        rates = config.breakaway.generation_rates if config.breakaway else []
        for generation, sources, receivers in _generations(ctx, config, f.leaders):
            paid = f.override_ok[receivers] & (f.generations[receivers] >= generation)
            amount = rates[generation - 1] * f.group_volume[sources[paid]]
            np.add.at(numerator, receivers[paid], amount)
        pay = volume_pay(numerator, ctx.plan.currency, ctx.rounding)
        return BonusOutcome(pay=pay, pool=_pool(ctx, config, f.group_volume, f.leaders))

    @staticmethod
    def reference(ref: ReferenceContext, config: Stairstep) -> BonusOutcome:
        return stairstep_reference(ref, config)

    @staticmethod
    def explain(
        ctx: Context, config: Stairstep, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        f = _Figures(ctx, config)
        ids = ctx.inputs.members.ids[ctx.tree.order]
        qualified = bool(f.qualified[member])
        why_not = "receiver not active" if not ctx.active[member] else f"below {config.min_rank}"
        exact = int(f.differential[member]) if qualified else 0
        contributions = [
            Contribution(
                source=str(ids[member]),
                level=0,
                base=int(f.group_volume[member]),
                rate=int(f.rate[member]),
                paid=qualified,
                note=f"own group, group PV {format_points(int(f.group_pv[member]))}"
                if qualified
                else why_not,
            )
        ]
        children = np.flatnonzero(ctx.tree.parent == member)
        for child in children:
            broke = bool(f.leaders[child])
            if not broke and f.group_volume[child] == 0:
                continue  # a leg with no volume changes nothing
            contributions.append(
                Contribution(
                    source=str(ids[child]),
                    level=1,
                    base=int(f.group_volume[child]) * (1 if broke else -1),
                    rate=0 if broke else int(f.rate[child]),
                    paid=qualified,
                    note="broke away: not in the group"
                    if broke
                    else "leg's own bracket amount subtracted"
                    if qualified
                    else why_not,
                )
            )
        rates = config.breakaway.generation_rates if config.breakaway else []
        for generation, sources, receivers in _generations(ctx, config, f.leaders):
            for source in sources[receivers == member]:
                paid = bool(f.override_ok[member] and f.generations[member] >= generation)
                base = int(f.group_volume[source])
                if paid:
                    exact += rates[generation - 1] * base
                contributions.append(
                    Contribution(
                        source=str(ids[source]),
                        level=generation,
                        base=base,
                        rate=rates[generation - 1],
                        paid=paid,
                        note=f"generation {generation} override"
                        if paid
                        else _override_refusal(ctx, config, f, member),
                    )
                )
        if all(c.base * c.rate == 0 for c in contributions):
            return []
        rule = (
            f"stairstep on {config.volume.upper()}: bracket of own group PV x own group "
            "minus each leg's bracket x its group; broken-away legs earn generation overrides"
        )
        return [
            trace_line(
                ctx,
                config,
                outcome,
                member,
                exact=str(Decimal(exact) / (RATE_SCALE * 100)),
                rule=rule,
                contributions=tuple(contributions),
            )
        ]


def _override_refusal(ctx: Context, config: Stairstep, f: _Figures, member: int) -> str:
    if not ctx.active[member]:
        return "receiver not active"
    if not f.qualified[member]:
        return f"receiver below {config.min_rank}"
    if not f.override_ok[member]:
        return f"overrides need {config.breakaway.generation_min_rank}"  # type: ignore[union-attr]
    return f"rank pays {int(f.generations[member])} generation(s)"

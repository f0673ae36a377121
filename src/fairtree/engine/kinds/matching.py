"""Matching by generations: a second stage paying rates[g-1] of the pay that members
in one's generation g earned in the ``of`` bonuses.

Generation g is the g-th upline (with dynamic compression, the g-th *active* upline).
A receiver earns generation g when active, at ``min_rank`` or above and matched at
least g generations (``generations_by_rank``). Rounding: once per receiver, on
Σ_g rate_g x matched pay (minor units).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import Field

from fairtree.engine.context import Context, money_pay
from fairtree.engine.levels import (
    not_paid_reason,
    paid_level_sums_in_preorder,
    reference_levels,
    skipped_between,
    upline,
    walk_levels,
)
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import Contribution, TraceLine, trace_line
from fairtree.money import currency_exponent
from fairtree.plans.bonus_kinds import BonusBase, PlanFacts
from fairtree.plans.values import RATE_SCALE, Rate


class Matching(BonusBase):
    """Second stage: a rate per generation on the pay others earned in ``of`` bonuses."""

    kind: Literal["matching"]
    of: list[str] = Field(min_length=1)
    rates: list[Rate] = Field(min_length=1)  # generation 1, 2, ...
    generations_by_rank: dict[str, int] | None = None
    compression: Literal["none", "dynamic"] = "dynamic"  # skip inactive members

    def depends_on(self) -> tuple[str, ...]:
        return tuple(self.of)

    def check(self, plan: PlanFacts, where: str) -> None:
        for j, other in enumerate(self.of):
            if other not in plan.bonus_ids:
                plan.bad(f"{where}.of[{j}]", "of", f"unknown bonus {other!r}")


def _base(ctx: Context, config: Matching) -> np.ndarray:
    """The pay matched per member: the ``of`` bonuses' pay summed (one bonus: its own
    pay array, read only, not a copy)."""
    if len(config.of) == 1:
        return ctx.pay_of[config.of[0]]
    base = np.zeros(ctx.size, dtype=np.int64)
    for bonus_id in config.of:
        base += ctx.pay_of[bonus_id]
    return base


def _no_negative(base: np.ndarray) -> np.ndarray:
    """Negative pay (a clawback) is not matched; no copy when there is none."""
    return base if base.min(initial=0) >= 0 else np.maximum(base, 0)


def _walk(ctx: Context, config: Matching, base: np.ndarray):  # type: ignore[no-untyped-def]
    eligible = ctx.active & ctx.rank_at_least(config.min_rank)
    depth = ctx.by_rank(config.generations_by_rank, len(config.rates))
    up = upline(ctx, config.compression)
    return walk_levels(up, np.flatnonzero(base > 0), len(config.rates), eligible, depth)


@register(Matching)
class MatchingKind:
    @staticmethod
    def evaluate(ctx: Context, config: Matching) -> BonusOutcome:
        base = _base(ctx, config)
        eligible = ctx.active & ctx.rank_at_least(config.min_rank)
        depth = ctx.by_rank(config.generations_by_rank, len(config.rates))
        marked = ctx.active if config.compression == "dynamic" else None
        numerator = paid_level_sums_in_preorder(
            ctx.tree, marked, _no_negative(base), config.rates, eligible, depth
        )
        pool = money_pay(np.array([sum(config.rates) * int(base.sum())]), ctx.rounding)
        pay = money_pay(numerator, ctx.rounding, in_place=True)
        return BonusOutcome(pay=pay, pool=int(pool[0]))

    @staticmethod
    def reference(ref: ReferenceContext, config: Matching) -> BonusOutcome:
        base = [sum(ref.pay_of[b][m] for b in config.of) for m in range(ref.size)]
        dynamic = config.compression == "dynamic"
        exact = [Decimal(0)] * ref.size
        for source in range(ref.size):
            if base[source] <= 0:
                continue
            for generation, node in reference_levels(ref, source, len(config.rates), dynamic):
                depth = ref.by_rank(node, config.generations_by_rank, len(config.rates))
                if (
                    ref.active[node]
                    and ref.rank_at_least(node, config.min_rank)
                    and depth >= generation
                ):
                    matched = ref.minor_to_money(base[source])
                    exact[node] += ref.rate(config.rates[generation - 1]) * matched
        pay = np.array([ref.round(amount) for amount in exact], dtype=np.int64)
        pool = sum(ref.rate(r) for r in config.rates) * ref.minor_to_money(sum(base))
        return BonusOutcome(pay=pay, pool=ref.round(pool))

    @staticmethod
    def explain(
        ctx: Context, config: Matching, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        ids = ctx.inputs.members.ids[ctx.tree.order]
        base = _base(ctx, config)
        depth = int(ctx.by_rank(config.generations_by_rank, len(config.rates))[member])
        contributions, exact = [], 0
        for generation, sources, receivers, paid in _walk(ctx, config, base):
            rate = config.rates[generation - 1]
            for k in np.flatnonzero(receivers == member):
                source = int(sources[k])
                skipped = (
                    skipped_between(ctx, source, member) if config.compression == "dynamic" else []
                )
                if paid[k]:
                    exact += rate * int(base[source])
                contributions.append(
                    Contribution(
                        source=str(ids[source]),
                        level=generation,
                        base=int(base[source]),
                        rate=rate,
                        paid=bool(paid[k]),
                        base_is_money=True,
                        skipped=tuple(str(ids[s]) for s in skipped),
                        note=(
                            f"pay in {', '.join(config.of)}"
                            if paid[k]
                            else not_paid_reason(ctx, member, config.min_rank, depth)
                        ),
                    )
                )
        if not contributions:
            return []
        exponent = Decimal(10) ** -currency_exponent(ctx.plan.currency)
        return [
            trace_line(
                ctx,
                config,
                outcome,
                member,
                exact=str(Decimal(exact) / RATE_SCALE * exponent),
                rule=(
                    f"matching {len(config.rates)} generation(s) of {', '.join(config.of)}, "
                    f"this rank is matched {depth} generation(s)"
                ),
                contributions=tuple(contributions),
            )
        ]

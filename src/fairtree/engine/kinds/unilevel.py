"""Unilevel: level k of the sponsor tree earns rates[k-1] x the buyer's volume.

Dynamic compression counts only active members as levels, so volume passes over an
inactive member to the next active one. ``compressed_volume`` says what an inactive
member's *own* volume does: ``roll_up`` pays upward from its place, ``breakage``
pays nothing. A receiver earns level k only when active, at ``min_rank`` or above,
and paid at least k levels (``depth_by_rank``); otherwise that part is breakage.

With ``paid_on`` the bonus pays only on the volume of the named categories or
products; the rest still counts for activity, ranks and every other bonus.

Rounding: per receiver, Σ_k rate_k x volume reaching level k is rounded once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import Field

from fairtree.engine.context import Context, volume_pay
from fairtree.engine.levels import (
    level_contributions,
    not_paid_reason,
    paid_level_sums_in_preorder,
    reference_levels,
    upline,
    walk_levels,
)
from fairtree.engine.product_volume import counted_orders, member_volume, paid_on_text
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import TraceLine, trace_line
from fairtree.plans.bonus_kinds import BonusBase, VolumeName
from fairtree.plans.values import RATE_SCALE, Rate


class Unilevel(BonusBase):
    """Rate per sponsor-tree level on the buyer's volume."""

    pays_on_products = True

    kind: Literal["unilevel"]
    volume: VolumeName = "bv"
    rates: list[Rate] = Field(min_length=1)
    depth_by_rank: dict[str, int] | None = None  # levels paid, by receiver paid-as rank
    compression: Literal["none", "dynamic"] = "dynamic"
    # dynamic compression: what a skipped (inactive) member's own volume does
    compressed_volume: Literal["roll_up", "breakage"] = "roll_up"


def _volume(ctx: Context, config: Unilevel) -> np.ndarray:
    return member_volume(ctx, config.volume, config.paid_on)


def _walk(ctx: Context, config: Unilevel):  # type: ignore[no-untyped-def]
    volume = _volume(ctx, config)
    sources = np.flatnonzero(volume > 0)
    if config.compression == "dynamic" and config.compressed_volume == "breakage":
        sources = sources[ctx.active[sources]]
    eligible = ctx.active & ctx.rank_at_least(config.min_rank)
    depth = ctx.by_rank(config.depth_by_rank, len(config.rates))
    up = upline(ctx, config.compression)
    return walk_levels(up, sources, len(config.rates), eligible, depth)


def _pool(ctx: Context, config: Unilevel) -> int:
    total = int(_volume(ctx, config).sum())
    numerator = np.array([sum(config.rates) * total], dtype=np.int64)
    return int(volume_pay(numerator, ctx.plan.currency, ctx.rounding)[0])


@register(Unilevel)
class UnilevelKind:
    @staticmethod
    def evaluate(ctx: Context, config: Unilevel) -> BonusOutcome:
        volume = _volume(ctx, config)
        if config.compression == "dynamic" and config.compressed_volume == "breakage":
            volume = np.where(ctx.active, volume, 0)
        eligible = ctx.active & ctx.rank_at_least(config.min_rank)
        depth = ctx.by_rank(config.depth_by_rank, len(config.rates))
        marked = ctx.active if config.compression == "dynamic" else None
        numerator = paid_level_sums_in_preorder(
            ctx.tree, marked, volume, config.rates, eligible, depth
        )
        pay = volume_pay(numerator, ctx.plan.currency, ctx.rounding, in_place=True)
        return BonusOutcome(pay=pay, pool=_pool(ctx, config))

    @staticmethod
    def reference(ref: ReferenceContext, config: Unilevel) -> BonusOutcome:
        volume = ref.limited_volume(config.volume, config.paid_on)
        dynamic = config.compression == "dynamic"
        exact = [Decimal(0)] * ref.size
        for source in range(ref.size):
            if volume[source] <= 0:
                continue
            if dynamic and config.compressed_volume == "breakage" and not ref.active[source]:
                continue
            for level, node in reference_levels(ref, source, len(config.rates), dynamic):
                depth = ref.by_rank(node, config.depth_by_rank, len(config.rates))
                if ref.active[node] and ref.rank_at_least(node, config.min_rank) and depth >= level:
                    exact[node] += ref.rate(config.rates[level - 1]) * ref.points(volume[source])
        pay = np.array([ref.round(amount) for amount in exact], dtype=np.int64)
        pool_exact = sum(ref.rate(r) for r in config.rates) * ref.points(sum(volume))
        return BonusOutcome(pay=pay, pool=ref.round(pool_exact))

    @staticmethod
    def explain(
        ctx: Context, config: Unilevel, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        volume = _volume(ctx, config)
        counted = counted_orders(ctx, config.volume, config.paid_on)
        depth = int(ctx.by_rank(config.depth_by_rank, len(config.rates))[member])
        contributions, exact = level_contributions(
            ctx,
            member,
            _walk(ctx, config),
            config.rates,
            volume,
            counted,
            config.compression == "dynamic",
            not_paid_reason(ctx, member, config.min_rank, depth),
        )
        if not contributions:
            return []
        rule = (
            f"unilevel {len(config.rates)} levels on {config.volume.upper()}"
            f"{paid_on_text(config.paid_on)}, "
            f"compression {config.compression}, this rank is paid {depth} level(s)"
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

"""Forced matrix: level k of the PLACEMENT tree earns rates[k-1] x the member's volume.

The matrix is the placement tree of width ``width`` (slots 1..W under each member,
filled by spillover when members join); its depth is the number of rates. A
receiver earns only when active and at ``min_rank``. With ``compression: dynamic``
inactive members are not counted as levels (the next active placement ancestor
takes the level); ``compressed_volume`` says whether an inactive member's own volume
still pays upward (``roll_up``) or not (``breakage``). Without compression an
inactive receiver's share is breakage. With ``paid_on`` only the volume of the named
categories or products is paid on.

pool = Σ rates x total volume (every unit of volume can pay every level);
breakage = pool - paid (missing uplines, unqualified receivers, rounding).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import Field

from fairtree.engine.context import Context, volume_pay
from fairtree.engine.inputs import Members
from fairtree.engine.levels import level_contributions, not_paid_reason
from fairtree.engine.placement_legs import placement_view, refuse_bad_slots
from fairtree.engine.product_volume import counted_orders, member_volume, paid_on_text
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import TraceLine, trace_line
from fairtree.genealogy.compress import compressed_parent
from fairtree.plans.bonus_kinds import BonusBase, VolumeName
from fairtree.plans.schema import Plan
from fairtree.plans.values import RATE_SCALE, Rate


class Matrix(BonusBase):
    """Levels of a forced width x depth placement matrix."""

    pays_on_products = True

    kind: Literal["matrix"]
    volume: VolumeName = "bv"
    width: int = Field(ge=1, le=100)
    rates: list[Rate] = Field(min_length=1)  # one per matrix level (the depth)
    compression: Literal["none", "dynamic"] = "none"  # dynamic: skip inactive placements
    compressed_volume: Literal["roll_up", "breakage"] = "roll_up"


def check_slots(plan: Plan, config: Matrix, members: Members) -> None:
    refuse_bad_slots(
        plan,
        config.id,
        members,
        range(1, config.width + 1),
        "width",
        f"outside the {config.width}-wide matrix",
    )


def _placement_up(ctx: Context, config: Matrix) -> np.ndarray:
    check_slots(ctx.plan, config, ctx.inputs.members)
    parent = placement_view(ctx).parent_in_sponsor_order()
    if config.compression == "dynamic":
        return compressed_parent(parent, ctx.active)
    return parent


def _levels(
    ctx: Context, config: Matrix
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """Per level k: (k, source positions, their level-k receivers, paid mask)."""
    up = _placement_up(ctx, config)
    volume = member_volume(ctx, config.volume, config.paid_on)
    sources = np.flatnonzero(volume > 0)
    if config.compression == "dynamic" and config.compressed_volume == "breakage":
        sources = sources[ctx.active[sources]]
    eligible = ctx.active & ctx.rank_at_least(config.min_rank)
    receivers = sources
    for level in range(1, len(config.rates) + 1):
        receivers = up[receivers]
        has = receivers >= 0
        sources, receivers = sources[has], receivers[has]
        if sources.size == 0:
            return
        yield level, sources, receivers, eligible[receivers]


@register(Matrix)
class MatrixKind:
    @staticmethod
    def evaluate(ctx: Context, config: Matrix) -> BonusOutcome:
        volume = member_volume(ctx, config.volume, config.paid_on)
        numerator = np.zeros(ctx.size, dtype=np.int64)
        for level, sources, receivers, paid in _levels(ctx, config):
            np.add.at(numerator, receivers[paid], config.rates[level - 1] * volume[sources[paid]])
        pay = volume_pay(numerator, ctx.plan.currency, ctx.rounding)
        total = np.array([sum(config.rates) * int(volume.sum())], dtype=np.int64)
        pool = int(volume_pay(total, ctx.plan.currency, ctx.rounding)[0])
        return BonusOutcome(pay=pay, pool=pool)

    @staticmethod
    def reference(ref: ReferenceContext, config: Matrix) -> BonusOutcome:
        members = ref.inputs.members
        size = ref.size
        parent = [-1] * size
        check_slots(ref.plan, config, members)
        if members.placement_parent is not None:
            parent = [int(p) for p in members.placement_parent]
        volume = ref.limited_volume(config.volume, config.paid_on)
        dynamic = config.compression == "dynamic"
        exact = [Decimal(0)] * size
        for source in range(size):
            if volume[source] <= 0:
                continue
            if dynamic and config.compressed_volume == "breakage" and not ref.active[source]:
                continue
            level, node = 0, parent[source]
            while node >= 0 and level < len(config.rates):
                if dynamic and not ref.active[node]:
                    node = parent[node]
                    continue
                level += 1
                if ref.active[node] and ref.rank_at_least(node, config.min_rank):
                    exact[node] += ref.rate(config.rates[level - 1]) * ref.points(volume[source])
                node = parent[node]
        pay = np.array([ref.round(amount) for amount in exact], dtype=np.int64)
        pool = sum(ref.rate(r) for r in config.rates) * ref.points(sum(volume))
        return BonusOutcome(pay=pay, pool=ref.round(pool))

    @staticmethod
    def explain(
        ctx: Context, config: Matrix, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        volume = member_volume(ctx, config.volume, config.paid_on)
        counted = counted_orders(ctx, config.volume, config.paid_on)
        contributions, exact = level_contributions(
            ctx,
            member,
            _levels(ctx, config),
            config.rates,
            volume,
            counted,
            config.compression == "dynamic",
            not_paid_reason(ctx, member, config.min_rank, len(config.rates)),
            placement_view(ctx).parent_in_sponsor_order(),
        )
        if not contributions:
            return []
        return [
            trace_line(
                ctx,
                config,
                outcome,
                member,
                exact=str(Decimal(exact) / (RATE_SCALE * 100)),
                rule=(
                    f"{config.width}x{len(config.rates)} matrix on {config.volume.upper()}"
                    f"{paid_on_text(config.paid_on)}, "
                    f"compression {config.compression}"
                ),
                contributions=tuple(contributions),
            )
        ]

"""Unilevel: level k of the sponsor tree earns rates[k-1] x the buyer's volume.

Dynamic compression counts only active members as levels, so volume passes over an
inactive member to the next active one. ``compressed_volume`` says what an inactive
member's *own* volume does: ``roll_up`` pays upward from its place, ``breakage``
pays nothing. A receiver earns level k only when active, at ``min_rank`` or above,
and paid at least k levels (``depth_by_rank``); otherwise that part is breakage.

Rounding: per receiver, Σ_k rate_k x volume reaching level k is rounded once.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import numpy as np

from fairtree.engine.context import Context, volume_pay
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import Contribution, TraceLine
from fairtree.genealogy.compress import compressed_parent
from fairtree.plans.schema_bonuses import Unilevel
from fairtree.plans.values import RATE_SCALE


def _sources(ctx: Context, config: Unilevel) -> np.ndarray:
    volume = ctx.volume(config.volume)
    sources = np.flatnonzero(volume > 0)
    if config.compression == "dynamic" and config.compressed_volume == "breakage":
        sources = sources[ctx.active[sources]]
    return sources


def _levels(
    ctx: Context, config: Unilevel
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """Per level k: (k, source positions, their level-k receivers, paid mask)."""
    if config.compression == "dynamic":
        up = compressed_parent(ctx.tree.parent, ctx.active)
    else:
        up = ctx.tree.parent
    eligible = ctx.active & ctx.rank_at_least(config.min_rank)
    depth = ctx.by_rank(config.depth_by_rank, len(config.rates))
    sources = _sources(ctx, config)
    receivers = sources
    for level in range(1, len(config.rates) + 1):
        receivers = up[receivers]
        has = receivers >= 0
        sources, receivers = sources[has], receivers[has]
        if sources.size == 0:
            return
        paid = eligible[receivers] & (depth[receivers] >= level)
        yield level, sources, receivers, paid


def _pool(ctx: Context, config: Unilevel) -> int:
    total = int(ctx.volume(config.volume).sum())
    numerator = np.array([sum(config.rates) * total], dtype=np.int64)
    return int(volume_pay(numerator, ctx.plan.currency, ctx.rounding)[0])


@register("unilevel")
class UnilevelKind:
    name = "unilevel"

    @staticmethod
    def evaluate(ctx: Context, config: Unilevel) -> BonusOutcome:
        volume = ctx.volume(config.volume)
        numerator = np.zeros(ctx.size, dtype=np.int64)
        for level, sources, receivers, paid in _levels(ctx, config):
            rate = config.rates[level - 1]
            np.add.at(numerator, receivers[paid], rate * volume[sources[paid]])
        pay = volume_pay(numerator, ctx.plan.currency, ctx.rounding)
        return BonusOutcome(pay=pay, pool=_pool(ctx, config))

    @staticmethod
    def reference(ref: ReferenceContext, config: Unilevel) -> BonusOutcome:
        volume = ref.volume(config.volume)
        exact = [Decimal(0)] * ref.size
        for source in range(ref.size):
            if volume[source] <= 0:
                continue
            dynamic = config.compression == "dynamic"
            if dynamic and config.compressed_volume == "breakage" and not ref.active[source]:
                continue
            level, node = 0, ref.sponsor[source]
            while node >= 0 and level < len(config.rates):
                if dynamic and not ref.active[node]:
                    node = ref.sponsor[node]
                    continue
                level += 1
                depth = ref.by_rank(node, config.depth_by_rank, len(config.rates))
                if ref.active[node] and ref.rank_at_least(node, config.min_rank) and depth >= level:
                    exact[node] += ref.rate(config.rates[level - 1]) * ref.points(volume[source])
                node = ref.sponsor[node]
        pay = np.array([ref.round(amount) for amount in exact], dtype=np.int64)
        pool_exact = sum(ref.rate(r) for r in config.rates) * ref.points(sum(volume))
        return BonusOutcome(pay=pay, pool=ref.round(pool_exact))

    @staticmethod
    def explain(
        ctx: Context, config: Unilevel, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        ids = ctx.inputs.members.ids[ctx.tree.order]
        volume = ctx.volume(config.volume)
        order_ids = ctx.inputs.orders.ids
        depth = ctx.by_rank(config.depth_by_rank, len(config.rates))
        contributions = []
        exact = 0
        for level, sources, receivers, paid in _levels(ctx, config):
            rate = config.rates[level - 1]
            for k in np.flatnonzero(receivers == member):
                source = int(sources[k])
                skipped = _skipped(ctx, source, member) if config.compression == "dynamic" else ()
                note = ""
                if not paid[k]:
                    if not ctx.active[member]:
                        note = "receiver not active"
                    elif not ctx.rank_at_least(config.min_rank)[member]:
                        note = f"receiver below {config.min_rank}"
                    else:
                        note = f"rank pays {int(depth[member])} level(s)"
                else:
                    exact += rate * int(volume[source])
                rows = ctx.orders.index[ctx.orders.buyer == source]
                contributions.append(
                    Contribution(
                        source=str(ids[source]),
                        level=level,
                        base=int(volume[source]),
                        rate=rate,
                        paid=bool(paid[k]),
                        orders=tuple(str(order_ids[r]) for r in rows),
                        skipped=tuple(str(ids[s]) for s in skipped),
                        note=note,
                    )
                )
        if not contributions:
            return []
        rank = ctx.plan.rank_name(int(ctx.pay_rank[member]))
        exact_money = Decimal(exact) / (RATE_SCALE * 100)
        rule = (
            f"unilevel {len(config.rates)} levels on {config.volume.upper()}, "
            f"compression {config.compression}, paid {int(depth[member])} level(s) at this rank"
        )
        return [
            TraceLine(
                bonus_id=config.id,
                kind="unilevel",
                member=str(ids[member]),
                amount=int(outcome.pay[member]),
                exact=str(exact_money),
                rounding=ctx.rounding.value,
                rank=rank,
                rule=rule,
                contributions=tuple(contributions),
            )
        ]


def _skipped(ctx: Context, source: int, receiver: int) -> list[int]:
    """Inactive members passed over between ``source`` and ``receiver`` (one chain)."""
    out, node = [], int(ctx.tree.parent[source])
    while node >= 0 and node != receiver:
        if not ctx.active[node]:
            out.append(node)
        node = int(ctx.tree.parent[node])
    return out

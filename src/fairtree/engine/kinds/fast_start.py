"""Fast start: a rate on a new member's orders in their first ``days`` days.

A member's fast-start base in the period is the net volume of the orders counted as
theirs (own orders, and customer orders when the plan gives those to the owner)
placed on or after the day they joined and before ``joined + days``; returns in the
window reduce it, never below zero. With ``paid_on`` only the lines of the named
categories or products count (e.g. enrolment kits). The enroller (sponsor, level 1) earns rates[0]
of it, the sponsor's sponsor rates[1], and so on (no compression). A receiver earns
only when active, at ``min_rank``, with own PV >= ``receiver_min_pv`` and, when
``receiver_needs_own_order``, an own order (not a customer's) with volume in the
period; otherwise that share is breakage.

pool = Σ rates x Σ bases; breakage = pool - paid.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import Field

from fairtree.engine.context import BuyerOrders, Context, volume_pay
from fairtree.engine.product_volume import counted_orders, order_volume, paid_on_text
from fairtree.engine.qualifying_order import placed_qualifying_order
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.reference import placed_qualifying_order as ref_placed_order
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import Contribution, TraceLine, trace_line
from fairtree.money import format_points
from fairtree.plans.bonus_kinds import BonusBase, VolumeName
from fairtree.plans.schema import QualifyingOrder
from fairtree.plans.values import RATE_SCALE, Rate, Volume


class FastStart(BonusBase):
    """A rate on a new member's orders in their first ``days`` days, to levels up."""

    pays_on_products = True

    kind: Literal["fast_start"]
    volume: VolumeName = "bv"
    days: int = Field(ge=1, le=366)
    rates: list[Rate] = Field(min_length=1)  # enroller, then levels above
    receiver_min_pv: Volume = 0
    receiver_needs_own_order: bool = False
    receiver_qualifying_order: QualifyingOrder | None = None  # one order, not a sum


def _in_window(ctx: Context, config: FastStart) -> np.ndarray:
    """Mask over the period's orders: placed within the buyer's first ``days`` days."""
    joined = ctx.joined_on[ctx.orders.buyer]
    placed = ctx.orders.placed_on
    return (placed >= joined) & (placed < joined + np.timedelta64(config.days, "D"))


def _base(ctx: Context, config: FastStart) -> np.ndarray:
    window = _in_window(ctx, config)
    volume = order_volume(ctx, config.volume, config.paid_on)
    base = np.zeros(ctx.size, dtype=np.int64)
    np.add.at(base, ctx.orders.buyer[window], volume[window])
    return np.maximum(base, 0)


def _eligible(ctx: Context, config: FastStart) -> np.ndarray:
    eligible = ctx.active & ctx.rank_at_least(config.min_rank) & (ctx.pv >= config.receiver_min_pv)
    if config.receiver_needs_own_order:
        own = ~ctx.orders.from_customer & ((ctx.orders.pv > 0) | (ctx.orders.bv > 0))
        ordered = np.zeros(ctx.size, dtype=bool)
        ordered[ctx.orders.buyer[own]] = True
        eligible &= ordered
    if config.receiver_qualifying_order is not None:
        condition = config.receiver_qualifying_order
        eligible &= placed_qualifying_order(ctx.orders, ctx.size, condition)
    return eligible


def _levels(ctx: Context, config: FastStart):  # type: ignore[no-untyped-def]
    """Per level k: (k, new members with a base, their level-k sponsor, paid mask)."""
    base = _base(ctx, config)
    eligible = _eligible(ctx, config)
    sources = np.flatnonzero(base > 0)
    receivers = sources
    for level in range(1, len(config.rates) + 1):
        receivers = ctx.tree.parent[receivers]
        has = receivers >= 0
        sources, receivers = sources[has], receivers[has]
        if sources.size == 0:
            return
        yield level, sources, receivers, eligible[receivers], base


def _reason(ctx: Context, config: FastStart, member: int) -> str:
    if not ctx.active[member]:
        return "receiver not active"
    if not ctx.rank_at_least(config.min_rank)[member]:
        return f"receiver below {config.min_rank}"
    if ctx.pv[member] < config.receiver_min_pv:
        return "receiver PV below receiver_min_pv"
    condition = config.receiver_qualifying_order
    if (
        condition is not None
        and not placed_qualifying_order(ctx.orders, ctx.size, condition)[member]
    ):
        kind = f" {condition.kind}" if condition.kind else ""
        return f"receiver placed no{kind} order of {format_points(condition.min_pv)} PV or more"
    return "receiver placed no own order this period"


@register(FastStart)
class FastStartKind:
    @staticmethod
    def evaluate(ctx: Context, config: FastStart) -> BonusOutcome:
        numerator = np.zeros(ctx.size, dtype=np.int64)
        base = _base(ctx, config)
        for level, sources, receivers, paid, _ in _levels(ctx, config):
            np.add.at(numerator, receivers[paid], config.rates[level - 1] * base[sources[paid]])
        pay = volume_pay(numerator, ctx.plan.currency, ctx.rounding)
        total = np.array([sum(config.rates) * int(base.sum())], dtype=np.int64)
        return BonusOutcome(
            pay=pay, pool=int(volume_pay(total, ctx.plan.currency, ctx.rounding)[0])
        )

    @staticmethod
    def reference(ref: ReferenceContext, config: FastStart) -> BonusOutcome:
        base = [0] * ref.size
        for order in ref.orders:
            start = ref.joined_on[order.buyer]
            if start <= order.placed_on < start + timedelta(days=config.days):
                base[order.buyer] += ref.limited_order_volume(order, config.volume, config.paid_on)
        base = [max(b, 0) for b in base]
        qualified = [True] * ref.size
        if config.receiver_qualifying_order is not None:
            qualified = ref_placed_order(ref.orders, ref.size, config.receiver_qualifying_order)
        own_order = [False] * ref.size
        for order in ref.orders:
            if not order.from_customer and (order.pv > 0 or order.bv > 0):
                own_order[order.buyer] = True
        exact = [Decimal(0)] * ref.size
        for member in range(ref.size):
            receiver = ref.sponsor[member]
            for rate in config.rates:
                if receiver < 0 or base[member] == 0:
                    break
                if (
                    ref.active[receiver]
                    and ref.rank_at_least(receiver, config.min_rank)
                    and ref.pv[receiver] >= config.receiver_min_pv
                    and (own_order[receiver] or not config.receiver_needs_own_order)
                    and qualified[receiver]
                ):
                    exact[receiver] += ref.rate(rate) * ref.points(base[member])
                receiver = ref.sponsor[receiver]
        pay = np.array([ref.round(amount) for amount in exact], dtype=np.int64)
        pool = sum(ref.rate(r) for r in config.rates) * ref.points(sum(base))
        return BonusOutcome(pay=pay, pool=ref.round(pool))

    @staticmethod
    def explain(
        ctx: Context, config: FastStart, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        ids = ctx.inputs.members.ids[ctx.tree.order]
        window = _in_window(ctx, config)
        counted = window & counted_orders(ctx, config.volume, config.paid_on)
        contributions, exact = [], 0
        reached = [
            (level, int(sources[k]), bool(paid[k]), int(base[sources[k]]))
            for level, sources, receivers, paid, base in _levels(ctx, config)
            for k in np.flatnonzero(receivers == member)
        ]
        bought = BuyerOrders(ctx, np.array([source for _, source, _, _ in reached]))
        for level, source, was_paid, source_base in reached:
            rate = config.rates[level - 1]
            if was_paid:
                exact += rate * source_base
            joined = ctx.joined_on[source]
            contributions.append(
                Contribution(
                    source=str(ids[source]),
                    level=level,
                    base=source_base,
                    rate=rate,
                    paid=was_paid,
                    orders=bought.names(source, counted),
                    note=(
                        f"joined {joined}, window to "
                        f"{joined + np.timedelta64(config.days - 1, 'D')}"
                        if was_paid
                        else _reason(ctx, config, member)
                    ),
                )
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
                    f"fast start: {config.volume.upper()}{paid_on_text(config.paid_on)} of "
                    f"orders in the first {config.days} days, {len(config.rates)} level(s) "
                    "up the sponsor tree"
                ),
                contributions=tuple(contributions),
            )
        ]

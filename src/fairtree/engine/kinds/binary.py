"""Binary: pay on the weaker of a member's two placement legs, carrying the rest.

Per period and member: left = this period's volume in the left placement leg +
carry-in ``<id>.left`` (same for right). A qualified member (active, at ``min_rank``,
with an active personally sponsored member in ``requires_active_legs`` of the two
legs) is paid ``weak_leg_rate`` x min(left, right), or ``pair_amount`` per pair of
``pair_volume`` on both sides (optionally 2:1 on the stronger side for the first
pair). Paid volume leaves both sides; the rest carries to the next period unless a
flush rule zeroes it (inactive member, weaker side, above ``max_carry``, carry off).
Pay above the member's cap (``cap``/``cap_by_rank``) is breakage.

pool = Σ uncapped pay of qualified members; breakage = what the caps cut. Volume of
members who are not qualified is not money yet: it carries or is flushed (shown in
the carry-out and the explanation), so it is never counted twice across periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from fairtree.engine.context import Context, volume_pay, volume_pay_scale
from fairtree.engine.kinds.binary_reference import BINARY_SLOTS, binary_reference
from fairtree.engine.kinds.binary_weak_leg import settle_weak_leg
from fairtree.engine.placement_legs import (
    placement_view,
    refuse_bad_slots,
    sides_holding,
    slot_heads,
    slot_volumes,
)
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import Contribution, TraceLine, trace_line
from fairtree.money import currency_exponent, format_amount, format_points, rule_code
from fairtree.plans.bonus_kinds import BonusBase, PlanFacts, Strict, VolumeName
from fairtree.plans.schema import Plan
from fairtree.plans.values import RATE_SCALE, Amount, Rate, Volume, format_rate


class BinaryPairs(Strict):
    pair_volume: Volume  # volume on each side that makes one pair
    pair_amount: Amount  # paid per pair
    first_pair: Literal["1:1", "2:1"] = "1:1"
    # 2:1 applies to the member's first pair ever (carried as "<id>.first_pair") or
    # to the first pair of every period
    first_pair_scope: Literal["ever", "period"] = "ever"

    @model_validator(mode="after")
    def _positive_pair(self) -> BinaryPairs:
        if self.pair_volume <= 0:
            raise ValueError("pair_volume must be above 0")
        return self


class BinaryCarry(Strict):
    enabled: bool = True
    max_carry: Volume | None = None  # carry per side above this is flushed
    flush_if_inactive: bool = True
    flush_weaker_side: bool = False  # a paid member's weaker-side remainder is flushed


class Binary(BonusBase):
    """Weak-leg pay on the placement tree with carry-forward."""

    kind: Literal["binary"]
    volume: VolumeName = "bv"
    weak_leg_rate: Rate | None = None
    pairs: BinaryPairs | None = None
    carry: BinaryCarry = BinaryCarry()
    cap: Amount | None = None  # per period, for every member (None: no cap)
    cap_by_rank: dict[str, Amount] = Field(default_factory=dict)  # per period, overrides cap
    requires_active_legs: int = Field(default=0, ge=0, le=2)  # personally sponsored L/R

    @model_validator(mode="after")
    def _one_pay_rule(self) -> Binary:
        if (self.weak_leg_rate is None) == (self.pairs is None):
            raise ValueError("give exactly one of weak_leg_rate or pairs")
        return self

    def check(self, plan: PlanFacts, where: str) -> None:
        amounts = list(self.cap_by_rank.values())
        if self.cap is not None:
            amounts.append(self.cap)
        if self.pairs is not None:
            amounts.append(self.pairs.pair_amount)
        plan.money_precision(amounts, where)


LEFT, RIGHT = 0, 1


def to_minor(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(currency_exponent(currency)))


def cap_lookup(plan: Plan, config: Binary) -> np.ndarray:
    """Cap in minor units per rank index (0 = no rank); -1 means no cap.

    A member takes the cap of the highest listed rank at or below their own, else
    ``cap``. A loop over the plan's ranks, not over members.
    """
    value = -1 if config.cap is None else to_minor(config.cap, plan.currency)
    lookup = np.empty(len(plan.ranks) + 1, dtype=np.int64)
    lookup[0] = value
    for index, rank in enumerate(plan.ranks, start=1):
        if rank.name in config.cap_by_rank:
            value = to_minor(config.cap_by_rank[rank.name], plan.currency)
        lookup[index] = value
    return lookup


@dataclass(frozen=True)
class BinaryPay:
    """What a close keeps of the binary settlement, per member in sponsor preorder."""

    pay: np.ndarray  # minor units, after caps
    pool: int  # Σ uncapped pay of qualified members
    carry_left: np.ndarray  # carry-out per side, after flush rules
    carry_right: np.ndarray
    first_pair_out: np.ndarray  # bool: first pair paid by the end of the period
    legs_left: np.ndarray  # the leg volumes compared: carry-in + this period's volume
    legs_right: np.ndarray


Figures = dict[str, np.ndarray]


def _carried(ctx: Context, config: Binary) -> tuple[np.ndarray, np.ndarray] | None:
    """Carry-in (left, right); None when neither side is carried in (no zeros made)."""
    values = ctx.carry_in.values
    sides = [values.get(f"{config.id}.{name}") for name in ("left", "right")]
    if not config.carry.enabled or all(side is None for side in sides):
        return None
    left, right = (
        np.zeros(ctx.size, dtype=np.int64) if side is None else side.astype(np.int64, copy=False)
        for side in sides
    )
    return left, right


def _carry_in(ctx: Context, config: Binary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left, right, first pair done); absent values are zeros (not paged in until read)."""
    carried = _carried(ctx, config)
    if carried is None:
        carried = np.zeros(ctx.size, dtype=np.int64), np.zeros(ctx.size, dtype=np.int64)
    return carried[0], carried[1], _first_done(ctx, config)


def _first_done(ctx: Context, config: Binary) -> np.ndarray:
    """Whether each member's first pair was paid before (carried in as 100 = yes)."""
    first = ctx.carry_in.values.get(f"{config.id}.first_pair")
    return np.zeros(ctx.size, dtype=bool) if first is None else first != 0


def _pairs(
    left: np.ndarray, right: np.ndarray, config: Binary, pending: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pairs, left used, right used); a pending 2:1 first pair takes 2 units from
    the stronger side (left on a tie), and without it no pair is paid."""
    assert config.pairs is not None
    unit = config.pairs.pair_volume
    strong_left = left >= right
    strong = np.maximum(left, right)
    weak = np.minimum(left, right)
    two_one = pending & (config.pairs.first_pair == "2:1")
    can_first = two_one & (strong >= 2 * unit) & (weak >= unit)
    strong_after = np.where(can_first, strong - 2 * unit, strong)
    weak_after = np.where(can_first, weak - unit, weak)
    more = np.minimum(strong_after, weak_after) // unit
    more = np.where(two_one & ~can_first, 0, more)
    pairs = more + can_first
    strong_used = more * unit + np.where(can_first, 2 * unit, 0)
    weak_used = more * unit + np.where(can_first, unit, 0)
    left_used = np.where(strong_left, strong_used, weak_used)
    right_used = np.where(strong_left, weak_used, strong_used)
    return pairs, left_used, right_used


def _legs(ctx: Context, config: Binary, figures: Figures | None) -> tuple[np.ndarray, ...]:
    """(left, right, first pair done): this period's leg volume plus carry-in per side."""
    periods = slot_volumes(ctx, ctx.volume(config.volume), (LEFT, RIGHT))
    carry_left, carry_right, first_done = _carry_in(ctx, config)
    legs = []
    for period, carry, name in zip(
        periods, (carry_left, carry_right), ("left", "right"), strict=True
    ):
        if figures is not None:
            figures[f"period_{name}"], figures[f"carry_in_{name}"] = period.copy(), carry
        period += carry  # the leg: this period's volume + carry-in
        legs.append(period)
    return legs[0], legs[1], first_done


def _qualified(ctx: Context, config: Binary, figures: Figures | None) -> np.ndarray:
    """Active, at ``min_rank``, with active personal enrollees in enough legs."""
    qualified = ctx.active & ctx.rank_at_least(config.min_rank)
    if config.requires_active_legs or figures is not None:
        enrollees = np.flatnonzero(ctx.active)
        view = placement_view(ctx)
        sides = sides_holding(view, enrollees, ctx.tree.parent[enrollees], (LEFT, RIGHT))
        qualified &= sides >= config.requires_active_legs
        if figures is not None:
            figures["sides_with_active"] = sides
    return qualified


def settle(ctx: Context, config: Binary, figures: Figures | None = None) -> BinaryPay:
    """Pay, pool and carry-out of every member; with ``figures`` (an explanation) also
    every intermediate figure by name. A close under the weak-leg rule settles in one
    compiled pass (:func:`settle_weak_leg`); pairs and explanations take the numpy form
    (:func:`settle_numpy`), which the tests hold the compiled pass to."""
    if figures is not None or config.weak_leg_rate is None:
        return settle_numpy(ctx, config, figures)
    refuse_bad_slots(ctx.plan, config.id, ctx.inputs.members, range(2), "", BINARY_SLOTS)
    left, right = slot_volumes(ctx, ctx.volume(config.volume), (LEFT, RIGHT))
    multiplier, denominator = volume_pay_scale(ctx.plan.currency)
    pay, pool, carry_left, carry_right = settle_weak_leg(
        left,
        right,
        _carried(ctx, config),
        _qualified(ctx, config, None),
        ctx.active,
        ctx.pay_rank,
        cap_lookup(ctx.plan, config),
        config.weak_leg_rate,
        (multiplier, denominator, rule_code(ctx.rounding)),
        (
            config.carry.enabled,
            config.carry.flush_if_inactive,
            config.carry.flush_weaker_side,
            config.carry.max_carry,
        ),
    )
    return BinaryPay(pay, pool, carry_left, carry_right, _first_done(ctx, config), left, right)


def settle_numpy(ctx: Context, config: Binary, figures: Figures | None = None) -> BinaryPay:
    """:func:`settle` in numpy passes. Arrays are 1-D per side and intermediates are
    dropped as soon as they are used, so a close holds little more than its results."""
    refuse_bad_slots(ctx.plan, config.id, ctx.inputs.members, range(2), "", BINARY_SLOTS)
    left, right, first_done = _legs(ctx, config, figures)
    legs_left, legs_right = left.copy(), right.copy()  # kept by the run for display
    qualified = _qualified(ctx, config, figures)
    left_stronger = left >= right
    if figures is not None:
        figures.update(qualified=qualified, legs_left=legs_left, legs_right=legs_right)
    if config.pairs is not None:
        pending = (
            ~first_done if config.pairs.first_pair_scope == "ever" else np.ones_like(qualified)
        )
        pairs, left_used, right_used = _pairs(left, right, config, pending)
        pairs[~qualified] = 0
        left_used[~qualified] = 0
        right_used[~qualified] = 0
        left -= left_used  # what remains after pay, before the flush rules
        right -= right_used
        del left_used, right_used
        uncapped = pairs * to_minor(config.pairs.pair_amount, ctx.plan.currency)
        first_out = first_done | (pairs > 0)
        if figures is not None:
            figures.update(pairs=pairs, weak=pairs * config.pairs.pair_volume)
            figures["exact_numerator"] = uncapped
        del pairs
    else:
        assert config.weak_leg_rate is not None
        weak = np.minimum(left, right)
        weak[~qualified] = 0
        left -= weak  # what remains after pay, before the flush rules
        right -= weak
        if figures is not None:
            figures.update(weak=weak.copy(), pairs=np.zeros(ctx.size, dtype=np.int64))
        weak *= config.weak_leg_rate  # now the exact numerator: rate x volume
        if figures is not None:
            figures["exact_numerator"] = weak
        uncapped = volume_pay(weak, ctx.plan.currency, ctx.rounding)
        first_out = first_done
        del weak
    pool = int(uncapped.sum())
    cap = cap_lookup(ctx.plan, config)[ctx.pay_rank]
    pay = np.where(cap >= 0, np.minimum(uncapped, cap), uncapped)
    if figures is not None:
        figures.update(uncapped=uncapped, cap=cap)
        figures.update(remaining_left=left.copy(), remaining_right=right.copy())
    del uncapped, cap
    if not config.carry.enabled:
        left[:] = 0
        right[:] = 0
    if config.carry.flush_if_inactive:
        left[~ctx.active] = 0
        right[~ctx.active] = 0
    if config.carry.flush_weaker_side:
        left[qualified & ~left_stronger] = 0
        right[qualified & left_stronger] = 0
    if config.carry.max_carry is not None:
        np.minimum(left, config.carry.max_carry, out=left)
        np.minimum(right, config.carry.max_carry, out=right)
    return BinaryPay(pay, pool, left, right, first_out, legs_left, legs_right)


def carry_arrays(config: Binary, left: np.ndarray, right: np.ndarray, first: np.ndarray) -> dict:
    out = {"left": left.astype(np.int64, copy=False), "right": right.astype(np.int64, copy=False)}
    if config.pairs is not None and config.pairs.first_pair_scope == "ever":
        out["first_pair"] = np.where(first, 100, 0).astype(np.int64)  # 1.00 = paid
    return out


@register(Binary)
class BinaryKind:
    @staticmethod
    def evaluate(ctx: Context, config: Binary) -> BonusOutcome:
        s = settle(ctx, config)
        return BonusOutcome(
            pay=s.pay,
            pool=s.pool,
            carry_out=carry_arrays(config, s.carry_left, s.carry_right, s.first_pair_out),
            shown={"left_volume": s.legs_left, "right_volume": s.legs_right},
        )

    @staticmethod
    def reference(ref: ReferenceContext, config: Binary) -> BonusOutcome:
        pay, pool, left, right, first, legs = binary_reference(ref, config)
        return BonusOutcome(
            pay=np.array(pay, dtype=np.int64),
            pool=pool,
            carry_out=carry_arrays(
                config, np.array(left), np.array(right), np.array(first, dtype=bool)
            ),
            shown={
                "left_volume": np.array([leg[0] for leg in legs], dtype=np.int64),
                "right_volume": np.array([leg[1] for leg in legs], dtype=np.int64),
            },
        )

    @staticmethod
    def explain(
        ctx: Context, config: Binary, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        f: Figures = {}
        s = settle(ctx, config, f)
        legs = np.array([f["legs_left"][member], f["legs_right"][member]])
        if not legs.any() and not s.pay[member]:
            return []
        ids = ctx.inputs.members.ids[ctx.tree.order]
        currency = ctx.plan.currency
        contributions = []
        remaining = np.array([f["remaining_left"][member], f["remaining_right"][member]])
        used = legs - remaining
        carry_out = (int(s.carry_left[member]), int(s.carry_right[member]))
        rate = config.weak_leg_rate if config.weak_leg_rate is not None else RATE_SCALE
        heads = slot_heads(placement_view(ctx), (LEFT, RIGHT), member)
        qualified = bool(f["qualified"][member])
        for side, name in ((LEFT, "left"), (RIGHT, "right")):
            head = heads[side]
            contributions.append(
                Contribution(
                    source=str(ids[head]) if head >= 0 else "(empty)",
                    level=0,
                    base=int(legs[side]),
                    rate=rate,
                    paid=qualified,
                    note=(
                        f"{name} leg: this period {format_points(int(f[f'period_{name}'][member]))}"
                        f" + carry-in {format_points(int(f[f'carry_in_{name}'][member]))}; "
                        f"paid on {format_points(int(used[side]))}; carries out "
                        f"{format_points(carry_out[side])}"
                    ),
                )
            )
        if not qualified:
            why = _unqualified_reason(ctx, config, f, member)
            contributions = [
                Contribution(**{**c.__dict__, "paid": False, "note": f"{c.note}; {why}"})
                for c in contributions
            ]
        if config.pairs is not None:
            exact = Decimal(int(f["exact_numerator"][member])).scaleb(-currency_exponent(currency))
            rule = (
                f"{int(f['pairs'][member])} pair(s) of {format_points(config.pairs.pair_volume)} "
                f"points per side x {config.pairs.pair_amount} {currency} "
                f"(first pair {config.pairs.first_pair}, {config.pairs.first_pair_scope})"
            )
        else:
            assert config.weak_leg_rate is not None
            exact = Decimal(int(f["exact_numerator"][member])) / (RATE_SCALE * 100)
            rule = (
                f"{format_rate(config.weak_leg_rate)} of the weaker leg "
                f"{format_points(int(f['weak'][member]))} {config.volume.upper()}"
            )
        cap = int(f["cap"][member])
        if cap >= 0:
            rule += f"; cap {format_amount(cap, currency)} {currency}"
            if f["uncapped"][member] > cap:
                cut = format_amount(int(f["uncapped"][member]) - cap, currency)
                rule += f" (cut {cut} {currency} as breakage)"
        return [
            trace_line(
                ctx,
                config,
                outcome,
                member,
                exact=str(exact),
                rule=rule,
                contributions=tuple(contributions),
            )
        ]


def _unqualified_reason(ctx: Context, config: Binary, f: Figures, member: int) -> str:
    if not ctx.active[member]:
        return "receiver not active"
    if not ctx.rank_at_least(config.min_rank)[member]:
        return f"receiver below {config.min_rank}"
    return (
        f"needs an active personal enrollee in {config.requires_active_legs} leg(s), "
        f"has {int(f['sides_with_active'][member])}"
    )

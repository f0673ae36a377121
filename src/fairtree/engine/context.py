"""Everything a vectorized bonus kind reads, in sponsor-tree preorder.

Built once per evaluation: the tree, the period's volumes per member, activity,
ranks, the period's orders mapped to preorder buyers, carry-in state, and the pay of
bonuses already evaluated (for second-stage kinds such as matching).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import gcd

import numpy as np

from fairtree.engine.inputs import STATUS_CODES, CarryState, EngineInput
from fairtree.genealogy.network import PlacementTree, build_placement_tree
from fairtree.genealogy.tree import Tree
from fairtree.money import RoundingRule, currency_exponent, round_div_array
from fairtree.periods import Period
from fairtree.plans.schema import Plan
from fairtree.plans.values import RATE_SCALE


@dataclass(frozen=True)
class PeriodOrders:
    """The orders placed in the period, buyers as preorder positions."""

    index: np.ndarray  # int64 row in EngineInput.orders
    buyer: np.ndarray  # int64 preorder position
    from_customer: np.ndarray
    placed_on: np.ndarray
    pv: np.ndarray
    bv: np.ndarray
    kind: np.ndarray | None = None  # order kind labels, None: every row an "order"


@dataclass
class Context:
    plan: Plan
    period: Period
    inputs: EngineInput
    tree: Tree
    status: np.ndarray  # int8, preorder
    orders: PeriodOrders
    pv: np.ndarray  # int64 hundredths, preorder (net of returns, never below zero)
    bv: np.ndarray
    active: np.ndarray  # bool
    group_volume: np.ndarray  # pv over the subtree
    paid_as: np.ndarray  # int16
    highest: np.ndarray  # int16
    carry_in: CarryState  # preorder
    pay_of: dict[str, np.ndarray] = field(default_factory=dict)  # earlier bonuses, preorder
    cache: dict[str, np.ndarray] = field(default_factory=dict)  # shared derived arrays
    _placement: PlacementTree | None = None

    @property
    def placement(self) -> PlacementTree | None:
        """The placement tree in its own preorder (None without placement columns).

        Built on first use, so plans without binary or matrix bonuses never pay for it.
        """
        members = self.inputs.members
        if self._placement is None and members.placement_parent is not None:
            assert members.placement_position is not None
            self._placement = build_placement_tree(
                members.placement_parent, members.placement_position, ids=members.ids
            )
        return self._placement

    @property
    def joined_on(self) -> np.ndarray:
        """Join dates (datetime64[D]) in preorder, gathered on first use."""
        if "joined_on" not in self.cache:
            self.cache["joined_on"] = self.inputs.members.joined_on[self.tree.order]
        return self.cache["joined_on"]

    @property
    def size(self) -> int:
        return self.tree.size

    @property
    def rounding(self) -> RoundingRule:
        return self.plan.rounding

    @property
    def pay_rank(self) -> np.ndarray:
        """The rank bonuses read: paid-as, or highest achieved (``rank_basis``)."""
        return self.highest if self.plan.rank_basis == "highest" else self.paid_as

    def volume(self, name: str) -> np.ndarray:
        return self.pv if name == "pv" else self.bv

    def rank_at_least(self, name: str | None) -> np.ndarray:
        """Members whose pay rank is ``name`` or higher (all when ``name`` is None)."""
        if name is None:
            return np.ones(self.size, dtype=bool)
        return self.pay_rank >= self.plan.rank_index(name)

    def by_rank(self, table: dict[str, int] | None, default: int) -> np.ndarray:
        """Per member value from a rank -> value table (highest listed rank <= own)."""
        if table is None:
            return np.full(self.size, default, dtype=np.int64)
        lookup = np.zeros(len(self.plan.ranks) + 1, dtype=np.int64)
        for name, value in table.items():
            lookup[self.plan.rank_index(name)] = value
        lookup = np.maximum.accumulate(lookup)
        return lookup[self.pay_rank]


def volume_pay(
    numerator: np.ndarray, currency: str, rule: RoundingRule, in_place: bool = False
) -> np.ndarray:
    """Round Σ rate x volume (rate units x hundredths of a point) to minor units.

    1.00 point of BV is worth 1.00 of the plan currency; one rounding per value. With
    ``in_place`` the pay is written over ``numerator`` (a caller's own int64 array).
    """
    multiplier, denominator = volume_pay_scale(currency)
    if multiplier == 1:
        scaled = numerator
    else:
        scaled = np.multiply(numerator, multiplier, out=numerator if in_place else None)
    return round_div_array(scaled, denominator, rule, out=scaled if in_place else None)


def volume_pay_scale(currency: str) -> tuple[int, int]:
    """(multiplier, denominator) turning rate x hundredths into minor units, reduced."""
    factor = 10 ** currency_exponent(currency)
    denominator = RATE_SCALE * 100
    common = gcd(factor, denominator)
    return factor // common, denominator // common


def money_pay(numerator: np.ndarray, rule: RoundingRule, in_place: bool = False) -> np.ndarray:
    """Round Σ rate x minor units (second-stage bonuses) to minor units; with
    ``in_place`` written over ``numerator`` (a caller's own int64 array)."""
    return round_div_array(numerator, RATE_SCALE, rule, out=numerator if in_place else None)


def statuses_allowed(plan: Plan) -> np.ndarray:
    allowed = np.zeros(len(STATUS_CODES), dtype=bool)
    for name in plan.activity.statuses:
        allowed[STATUS_CODES[name]] = True
    return allowed


class BuyerOrders:
    """The names of given buyers' period orders, for explanations.

    One stable sort of the orders by buyer (kept in ``ctx.cache``) replaces a scan of
    every order per contribution, and the names of all these buyers' orders are asked
    for in one call (one read when ``Orders.ids`` is the store's stand-in, instead of one
    per contribution). Names come out in the order of ``ctx.orders``, as a scan gives.
    """

    def __init__(self, ctx: Context, buyers: np.ndarray) -> None:
        if "orders_by_buyer" not in ctx.cache:
            ctx.cache["orders_by_buyer"] = np.argsort(ctx.orders.buyer, kind="stable")
        order = ctx.cache["orders_by_buyer"]
        by_buyer = ctx.orders.buyer[order]
        wanted = np.unique(np.asarray(buyers, dtype=np.int64))
        low = np.searchsorted(by_buyer, wanted, side="left")
        high = np.searchsorted(by_buyer, wanted, side="right")
        lengths = high - low
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        within = np.arange(offsets[-1], dtype=np.int64) - np.repeat(offsets[:-1], lengths)
        self._positions = order[np.repeat(low, lengths) + within]  # rows of ctx.orders
        rows = ctx.orders.index[self._positions]
        named = ctx.inputs.orders.names(rows) if rows.size else ()
        self._names = np.array([str(name) for name in named], dtype=object)
        self._span = dict(
            zip(
                wanted.tolist(),
                zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True),
                strict=True,
            )
        )

    def names(self, buyer: int, mask: np.ndarray | None = None) -> tuple[str, ...]:
        """Names of ``buyer``'s orders (those where ``mask``, over ``ctx.orders``, holds)."""
        start, stop = self._span.get(buyer, (0, 0))
        names = self._names[start:stop]
        if mask is not None:
            names = names[mask[self._positions[start:stop]]]
        return tuple(names.tolist())

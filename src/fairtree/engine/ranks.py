"""Ranks as vector conditions, evaluated in ascending order.

Ranks are cumulative: a member holds rank r when they are active, hold rank r-1 and
meet every condition of r. Because a ``legs_with_rank`` condition may only name a
lower rank, "this leg holds rank >= R" is final by the time rank r is evaluated.
"""

from __future__ import annotations

import numba
import numpy as np

from fairtree.engine.context import PeriodOrders
from fairtree.engine.qualifying_order import placed_qualifying_order
from fairtree.genealogy.tree import Tree
from fairtree.plans.schema import Plan, RankConditions
from fairtree.plans.values import RATE_SCALE


def max_leg_volume(tree: Tree, pv: np.ndarray, group_volume: np.ndarray, cap: int) -> np.ndarray:
    """Own PV plus each frontline leg's group volume, each leg counted at most ``cap``."""
    return pv + tree.children_sum(np.minimum(group_volume, cap))


@numba.njit(cache=True)
def _max_legs_met_kernel(end, pv, group_volume, caps, requirements, met):  # pragma: no cover
    n, k = end.shape[0], caps.shape[0]
    sums = np.zeros(k, dtype=np.int64)
    for member in range(n):
        sums[:] = 0
        leg = member + 1  # preorder: the first child, then each next sibling at end[leg]
        while leg < end[member]:
            volume = group_volume[leg]
            for j in range(k):
                sums[j] += min(volume, caps[j])
            leg = end[leg]
        for j in range(k):
            met[member, j] = pv[member] + sums[j] >= requirements[j]


def max_legs_met(
    tree: Tree,
    pv: np.ndarray,
    group_volume: np.ndarray,
    caps: np.ndarray,
    requirements: np.ndarray,
) -> np.ndarray:
    """(n, k) bool: ``max_leg_volume`` with cap ``caps[j]`` reaches ``requirements[j]``,
    for every rule j in ONE compiled pass over each member's frontline (in preorder a
    member's first leg follows it and each next leg starts at the previous one's end),
    instead of one frontline sum per rank. ``max_leg_volume`` is the numpy statement the
    tests hold it to."""
    met = np.empty((tree.size, np.shape(caps)[0]), dtype=bool)  # numpy's huge pages
    _max_legs_met_kernel(
        np.asarray(tree.end, dtype=np.int64),
        np.asarray(pv, dtype=np.int64),
        np.asarray(group_volume, dtype=np.int64),
        np.asarray(caps, dtype=np.int64),
        np.asarray(requirements, dtype=np.int64),
        met,
    )
    return met


def _max_leg_key(cap: int, requirement: int) -> str:
    return f"max_leg:{cap}:{requirement}"


def leg_cap(requirement: int, percent: int | None, fixed: int | None) -> int:
    """Most one leg may count; a percent cap rounds down to whole hundredths."""
    if fixed is not None:
        return fixed
    assert percent is not None
    return requirement * percent // RATE_SCALE


@numba.njit(cache=True)
def _legs_holding_kernel(parent, rank, at_least, holds, legs):  # pragma: no cover - compiled
    """Children after parents in preorder: by descending position each member's subtree
    is complete when it is reached, so it tells its parent whether it holds a rank."""
    n = parent.shape[0]
    for member in range(n - 1, -1, -1):
        if rank[member] >= at_least:
            holds[member] = True
        up = parent[member]
        if holds[member] and up >= 0:
            holds[up] = True
            legs[up] += 1


def legs_holding(tree: Tree, rank: np.ndarray, at_least: int) -> np.ndarray:
    """Number of frontline legs that contain a member of rank >= ``at_least``: one
    compiled pass; ``legs_holding_numpy`` is the statement the tests hold it to."""
    holds = np.zeros(tree.size, dtype=bool)
    legs = np.zeros(tree.size, dtype=np.int32)  # a count of frontline legs
    _legs_holding_kernel(tree.parent, rank, at_least, holds, legs)
    return legs


@numba.njit(cache=True)
def _active_children_kernel(parent, active, out):  # pragma: no cover - compiled
    for i in range(parent.shape[0]):
        if active[i] and parent[i] >= 0:
            out[parent[i]] += 1


def active_children(tree: Tree, active: np.ndarray) -> np.ndarray:
    """Active members each member sponsored, as int32 counts: one compiled pass, no
    int64 copy of ``active`` (``tree.children_sum`` of it is what the tests hold it to)."""
    out = np.zeros(tree.size, dtype=np.int32)
    _active_children_kernel(tree.parent, np.asarray(active, dtype=np.bool_), out)
    return out


def legs_holding_numpy(tree: Tree, rank: np.ndarray, at_least: int) -> np.ndarray:
    holders = tree.subtree_sum((rank >= at_least).astype(np.int64))
    return tree.children_sum((holders > 0).astype(np.int64))


def meets(
    conditions: RankConditions,
    tree: Tree,
    pv: np.ndarray,
    group_volume: np.ndarray,
    active: np.ndarray,
    rank: np.ndarray,
    plan: Plan,
    memo: dict[str, np.ndarray] | None = None,
    orders: PeriodOrders | None = None,
) -> np.ndarray:
    """Members meeting every condition; ``memo`` keeps figures shared by several ranks."""
    memo = {} if memo is None else memo
    ok = np.ones(tree.size, dtype=bool)
    if conditions.pv is not None:
        ok &= pv >= conditions.pv
    if conditions.group_volume is not None:
        ok &= group_volume >= conditions.group_volume
    if conditions.max_leg is not None:
        rule = conditions.max_leg
        cap = leg_cap(rule.requirement, rule.max_leg_percent, rule.max_leg_volume)
        key = _max_leg_key(cap, rule.requirement)
        if key in memo:
            ok &= memo[key]
        else:
            ok &= max_leg_volume(tree, pv, group_volume, cap) >= rule.requirement
    for condition in conditions.legs_with_rank:
        ok &= legs_holding(tree, rank, plan.rank_index(condition.rank)) >= condition.legs
    if conditions.active_personal is not None:
        if "active_personal" not in memo:
            memo["active_personal"] = active_children(tree, active)
        ok &= memo["active_personal"] >= conditions.active_personal
    if conditions.qualifying_order is not None:
        if orders is None:
            raise ValueError("a qualifying_order rank condition needs the period's orders")
        ok &= placed_qualifying_order(orders, tree.size, conditions.qualifying_order)
    return ok


def evaluate_ranks(
    plan: Plan,
    tree: Tree,
    pv: np.ndarray,
    group_volume: np.ndarray,
    active: np.ndarray,
    orders: PeriodOrders | None = None,
) -> np.ndarray:
    """Paid-as rank index per member (0 = none), preorder."""
    rank = np.zeros(tree.size, dtype=np.int16)
    memo: dict[str, np.ndarray] = {}
    rules = {
        _max_leg_key(cap, rule.requirement): (cap, rule.requirement)
        for rule in (definition.conditions.max_leg for definition in plan.ranks)
        if rule is not None
        for cap in [leg_cap(rule.requirement, rule.max_leg_percent, rule.max_leg_volume)]
    }
    if rules:  # every rank's max-leg rule in one pass over the frontlines
        caps, requirements = np.array(list(rules.values()), dtype=np.int64).T
        met = max_legs_met(tree, pv, group_volume, caps, requirements)
        memo.update((key, met[:, j]) for j, key in enumerate(rules))
    for r, definition in enumerate(plan.ranks, start=1):
        candidates = active & (rank == r - 1)
        if not candidates.any():
            break
        ok = meets(definition.conditions, tree, pv, group_volume, active, rank, plan, memo, orders)
        rank[candidates & ok] = r
    return rank

"""Walking k levels up the sponsor tree, shared by level-based kinds (unilevel,
matching): the vector walk for the engine and the plain walk for the reference."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numba
import numpy as np

from fairtree.engine.breakaway import marked_above
from fairtree.engine.context import BuyerOrders, Context
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.trace import Contribution
from fairtree.genealogy.tree import Tree, sum_into


def upline(ctx: Context, compression: str) -> np.ndarray:
    """Next receiver up: the sponsor, or with dynamic compression the next active one."""
    if compression != "dynamic":
        return ctx.tree.parent
    if "active_upline" not in ctx.cache:
        # one forward preorder pass; genealogy.compress.compressed_parent is the
        # pointer-jumping fallback it is tested against
        ctx.cache["active_upline"] = marked_above(ctx.tree, ctx.active)
    return ctx.cache["active_upline"]


def level_sums(up: np.ndarray, values: np.ndarray, levels: int) -> Iterator[tuple[int, np.ndarray]]:
    """Per level k = 1..levels: what reaches each member from ``values`` k steps below.

    ``up`` points to the next receiver (the sponsor, or the next active one); a receiver
    is always a member ``up`` points to, so level k+1 is level k summed once more
    into ``up``: one pass per level over the members, not a walk per source. Paying
    ``rate_k x`` this sum equals paying each source's ``rate_k x volume``, exactly.
    """
    sums = np.asarray(values, dtype=np.int64)
    for level in range(1, levels + 1):
        sums = sum_into(up, sums)
        if not sums.any():
            return
        yield level, sums


@numba.njit(cache=True)
def _paid_level_sums_kernel(
    up, values, rates, paid_levels, levels, numerator, reaching, following
):  # pragma: no cover
    """One pass per level: read what reaches each member at level k, add its paid share,
    and sum it one step further up into the next level's buffer (all three buffers
    zeros)."""
    n = up.shape[0]
    for i in range(n):  # level 1: the values summed once into ``up``
        if up[i] >= 0:
            reaching[up[i]] += values[i]
    for level in range(1, levels + 1):
        rate = rates[level - 1]
        further = level < levels
        if further:
            following[:] = 0
        moving = False
        for i in range(n):
            sums = reaching[i]
            if sums != 0:
                moving = True
                if paid_levels[i] >= level:
                    numerator[i] += rate * sums
                if further and up[i] >= 0:
                    following[up[i]] += sums
        if not moving:
            break
        reaching, following = following, reaching


def paid_level_sums(
    up: np.ndarray,
    values: np.ndarray,
    rates: list[int],
    eligible: np.ndarray,
    depth: np.ndarray,
) -> np.ndarray:
    """Per member: Σ_k rates[k-1] x what reaches it from ``values`` k levels below
    (``level_sums``), for the levels it is paid: ``eligible`` and ``depth`` >= k.

    One compiled pass per level (reading level k, paying it and summing it into level
    k + 1) and no level past the deepest any member is paid; ``paid_level_sums_numpy``
    is the fallback the tests hold it to."""
    paid_levels = np.where(eligible, depth, 0)
    levels = min(len(rates), int(paid_levels.max(initial=0)))
    if levels == 0:
        return np.zeros(up.shape[0], dtype=np.int64)
    n = up.shape[0]
    numerator = np.zeros(n, dtype=np.int64)  # numpy's allocations take huge pages
    _paid_level_sums_kernel(
        np.asarray(up, dtype=np.int64),
        np.asarray(values, dtype=np.int64),
        np.asarray(rates, dtype=np.int64),
        paid_levels.astype(np.int64, copy=False),
        levels,
        numerator,
        np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
    )
    return numerator


@numba.njit(cache=True)
def _paid_levels_in_preorder_kernel(
    end, marked, compressed, values, rates, eligible, depth, numerator, stack, acc
):  # pragma: no cover - compiled
    """One ascending preorder pass holding the path from the root as a stack: a member
    is closed when the scan leaves its subtree, and by then everything that reaches it
    at every level has arrived from below, so it is paid and its own value plus what
    reached it is handed one level up to the nearest receiver still on the stack.

    ``acc`` holds one row of per-level sums per stack depth (small, cache resident);
    ``stack`` holds per depth what the pass needs of that member (its position, end,
    value, paid levels, receiver above, highest level holding a sum), so every read of
    the member arrays is sequential."""
    n = end.shape[0]
    levels = rates.shape[0]
    width = levels + 1
    top = -1
    for i in range(n + 1):
        while top >= 0 and (i == n or stack[top, 1] <= i):
            base = top * width
            live = stack[top, 5]
            paid = min(stack[top, 3], live)
            total = 0
            for k in range(1, paid + 1):
                total += rates[k - 1] * acc[base + k]
            numerator[stack[top, 0]] = total
            target = stack[top, 4]
            if target >= 0:
                into = target * width
                value = stack[top, 2]
                reach = stack[target, 5]
                if value != 0:
                    acc[into + 1] += value
                    reach = max(reach, 1)
                passed = min(live, levels - 1)
                for k in range(1, passed + 1):
                    acc[into + k + 1] += acc[base + k]
                stack[target, 5] = max(reach, passed + 1 if passed > 0 else 0)
            for k in range(1, live + 1):
                acc[base + k] = 0
            top -= 1
        if i == n:
            break
        top += 1
        stack[top, 0] = i
        stack[top, 1] = end[i]
        stack[top, 2] = values[i]
        stack[top, 3] = min(depth[i], levels) if eligible[i] else 0
        if top == 0:
            stack[top, 4] = -1
        elif not compressed or stack[top - 1, 6]:
            stack[top, 4] = top - 1
        else:
            stack[top, 4] = stack[top - 1, 4]
        stack[top, 5] = 0
        stack[top, 6] = 1 if not compressed or marked[i] else 0


def paid_level_sums_in_preorder(
    tree: Tree,
    marked: np.ndarray | None,
    values: np.ndarray,
    rates: list[int],
    eligible: np.ndarray,
    depth: np.ndarray,
) -> np.ndarray:
    """:func:`paid_level_sums` over ``up`` = the sponsor (``marked`` None) or the
    nearest ``marked`` ancestor (dynamic compression), read from the tree's preorder
    in ONE sequential pass instead of one pass per level with a scatter each.

    The pass keeps a row of per-level sums for each member on the current root path,
    (deepest + 1) x (levels + 1) integers; for a tree so deep that this table would
    outgrow the per-level buffers (a long chain) it falls back to :func:`paid_level_sums`."""
    n = tree.size
    levels = len(rates)
    deepest = int(tree.depth.max(initial=0))
    if n == 0 or (deepest + 1) * (levels + 8) > max(4 * n, 1 << 16):
        up = tree.parent if marked is None else marked_above(tree, marked)
        return paid_level_sums(up, values, rates, eligible, depth)
    numerator = np.empty(n, dtype=np.int64)  # every member is written once
    _paid_levels_in_preorder_kernel(
        np.asarray(tree.end, dtype=np.int64),
        np.ones(1, dtype=np.bool_) if marked is None else np.asarray(marked, dtype=np.bool_),
        marked is not None,
        np.asarray(values, dtype=np.int64),
        np.asarray(rates, dtype=np.int64),
        np.asarray(eligible, dtype=np.bool_),
        np.asarray(depth, dtype=np.int64),
        numerator,
        np.empty((deepest + 1, 7), dtype=np.int64),
        np.zeros((deepest + 1) * (levels + 1), dtype=np.int64),
    )
    return numerator


def paid_level_sums_numpy(
    up: np.ndarray,
    values: np.ndarray,
    rates: list[int],
    eligible: np.ndarray,
    depth: np.ndarray,
) -> np.ndarray:
    """:func:`paid_level_sums` in numpy: three passes per level into one buffer."""
    numerator = np.zeros(up.shape[0], dtype=np.int64)
    paid_levels = np.where(eligible, depth, 0)
    levels = min(len(rates), int(paid_levels.max(initial=0)))
    scaled = np.empty_like(numerator)
    for level, reaching in level_sums(up, values, levels):
        np.multiply(reaching, rates[level - 1], out=scaled)
        np.add(numerator, scaled, out=numerator, where=paid_levels >= level)
    return numerator


def walk_levels(
    up: np.ndarray,
    sources: np.ndarray,
    levels: int,
    eligible: np.ndarray,
    depth: np.ndarray,
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """Per level k = 1..levels: (k, sources, their level-k receivers, paid mask).

    A receiver is paid level k when ``eligible`` and paid at least k levels
    (``depth``); sources whose chain ran out are dropped as it goes.
    """
    receivers = sources
    for level in range(1, levels + 1):
        receivers = up[receivers]
        has = receivers >= 0
        sources, receivers = sources[has], receivers[has]
        if sources.size == 0:
            return
        yield level, sources, receivers, eligible[receivers] & (depth[receivers] >= level)


def reference_levels(
    ref: ReferenceContext, source: int, levels: int, dynamic: bool
) -> Iterator[tuple[int, int]]:
    """(level, receiver) going up from ``source``; inactive members skipped if dynamic."""
    level, node = 0, ref.sponsor[source]
    while node >= 0 and level < levels:
        if dynamic and not ref.active[node]:
            node = ref.sponsor[node]
            continue
        level += 1
        yield level, node
        node = ref.sponsor[node]


def skipped_between(
    ctx: Context, source: int, receiver: int, parent: np.ndarray | None = None
) -> list[int]:
    """Inactive members passed over between ``source`` and ``receiver`` (explain only),
    up the sponsor tree or, given its ``parent`` array, another tree (placement)."""
    up = ctx.tree.parent if parent is None else parent
    out, node = [], int(up[source])
    while node >= 0 and node != receiver:
        if not ctx.active[node]:
            out.append(node)
        node = int(up[node])
    return out


def not_paid_reason(ctx: Context, member: int, min_rank: str | None, depth: int) -> str:
    if not ctx.active[member]:
        return "receiver not active"
    if not ctx.rank_at_least(min_rank)[member]:
        return f"receiver below {min_rank}"
    return f"rank pays {depth} level(s)"


def level_contributions(
    ctx: Context,
    member: int,
    walk: Iterable[tuple[int, np.ndarray, np.ndarray, np.ndarray]],
    rates: Sequence[int],
    volume: np.ndarray,
    counted: np.ndarray,
    compressed: bool,
    not_paid: str,
    parent: np.ndarray | None = None,
) -> tuple[list[Contribution], int]:
    """What a level bonus (unilevel, matrix) paid ``member`` from each source its ``walk``
    reached: level, volume, rate, orders, the inactive members compression passed over
    (up ``parent``, the sponsor tree by default) and ``not_paid`` where a level was not
    paid; and the exact pay, in rate units times points."""
    ids = ctx.inputs.members.ids[ctx.tree.order]
    reached = [
        (level, int(sources[k]), bool(paid[k]))
        for level, sources, receivers, paid in walk
        for k in np.flatnonzero(receivers == member)
    ]
    bought = BuyerOrders(ctx, np.array([source for _, source, _ in reached]))
    contributions, exact = [], 0
    for level, source, was_paid in reached:
        rate = rates[level - 1]
        skipped = skipped_between(ctx, source, member, parent) if compressed else []
        if was_paid:
            exact += rate * int(volume[source])
        contributions.append(
            Contribution(
                source=str(ids[source]),
                level=level,
                base=int(volume[source]),
                rate=rate,
                paid=was_paid,
                orders=bought.names(source, counted),
                skipped=tuple(str(ids[s]) for s in skipped),
                note="" if was_paid else not_paid,
            )
        )
    return contributions, exact

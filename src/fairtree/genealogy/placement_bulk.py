"""Place a whole network in join order, fast: the same rules as ``placement``, in one pass.

Each kernel is plain Python over int64 arrays, compiled by numba when it is available;
the uncompiled function is the fallback and tests check the two agree. Tricks that keep
a million members within seconds:

- Binary outer legs: ``jump[node, side]`` remembers a node further down the node's outer
  edge (path compression), so walking to the bottom does not start at the top each time.
- Weaker leg: subtree sizes are kept by adding one up the ancestors of each new member,
  but only to members whose size can still be asked for (their placement parent still
  enrolls someone later; the sponsor array is known in advance). Members that no longer
  matter are skipped with union-find style pointers, so deep trees stay cheap.
- Matrix spillover: all levels of a sponsor's subtree above its first open slot are full
  and stay full, so each sponsor keeps a cursor (level, index in that level) that only
  moves forward; the node at a cursor is found by the base-W digits of the index.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numpy as np

from fairtree.genealogy.placement import BinaryRule, PlacementKind

try:  # numba is a dependency, but the kernels still run (slowly) without it.
    import numba

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only where numba is missing
    numba = None  # type: ignore[assignment]
    HAVE_NUMBA = False

_RULE_CODES = {
    BinaryRule.OUTER_LEFT: 0,
    BinaryRule.OUTER_RIGHT: 1,
    BinaryRule.WEAKER_LEG: 2,
    BinaryRule.ALTERNATE: 3,
}


def _outer_bottom(child: np.ndarray, jump: np.ndarray, start: int, side: int) -> int:
    """Bottom of ``start``'s outer ``side`` edge; compresses the jump pointers on the way."""
    node = start
    while True:
        ahead = jump[node, side]
        if ahead != node:
            node = ahead
            continue
        below = child[node, side]
        if below < 0:
            break
        node = below
    walker = start
    while walker != node:
        ahead = jump[walker, side]
        if ahead == walker:
            ahead = child[walker, side]
        jump[walker, side] = node
        walker = ahead
    return node


# Columns of the per-member record the weaker-leg rule keeps; one row per member keeps
# what each step up the tree reads in one cache line.
_PARENT, _SKIP, _SIZE, _ASKED_UNTIL = 0, 1, 2, 3


def _next_counted(start: int, now: int, record: np.ndarray) -> int:
    """Nearest ancestor-or-self of ``start`` whose leg size will still be asked for, or -1.

    A member's size is asked for only while their placement parent enrolls members
    later than ``now`` (``_ASKED_UNTIL``); after that it never matters again, so the
    ``_SKIP`` pointer jumps over it (and is compressed like union-find).
    """
    node = start
    while node >= 0:
        ahead = record[node, _SKIP]
        if ahead != node:
            node = ahead
            continue
        if record[node, _ASKED_UNTIL] > now:
            break
        record[node, _SKIP] = record[node, _PARENT]
        node = record[node, _PARENT]
    walker = start
    while walker >= 0 and walker != node:
        ahead = record[walker, _SKIP]
        record[walker, _SKIP] = node
        walker = ahead
    return node


def _binary_kernel(
    sponsor: np.ndarray,
    rule_code: int,
    parent: np.ndarray,
    position: np.ndarray,
) -> None:
    n = sponsor.shape[0]
    child = np.full((n, 2), -1, dtype=np.int64)
    jump = np.empty((n, 2), dtype=np.int64)
    for i in range(n):
        jump[i, 0] = i
        jump[i, 1] = i
    enrolled = np.zeros(n, dtype=np.int64)
    last_enrollment = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        if sponsor[i] >= 0:
            last_enrollment[sponsor[i]] = i
    record = np.empty((n if rule_code == 2 else 0, 4), dtype=np.int64)
    for i in range(n):
        enroller = sponsor[i]
        if enroller < 0:
            parent[i] = -1
            position[i] = -1
            if rule_code == 2:
                record[i, _PARENT] = -1
                record[i, _SKIP] = i
                record[i, _SIZE] = 1
                record[i, _ASKED_UNTIL] = -1
            continue
        if rule_code == 0:
            side = 0
        elif rule_code == 1:
            side = 1
        elif rule_code == 2:
            left = child[enroller, 0]
            right = child[enroller, 1]
            left_size = record[left, _SIZE] if left >= 0 else 0
            right_size = record[right, _SIZE] if right >= 0 else 0
            side = 0 if left_size <= right_size else 1
        else:
            side = enrolled[enroller] % 2
        enrolled[enroller] += 1
        bottom = _outer_bottom(child, jump, enroller, side)
        child[bottom, side] = i
        parent[i] = bottom
        position[i] = side
        if rule_code == 2:
            record[i, _PARENT] = bottom
            record[i, _SKIP] = i
            record[i, _SIZE] = 1
            record[i, _ASKED_UNTIL] = last_enrollment[bottom]
            up = _next_counted(bottom, i, record)
            while up >= 0:
                record[up, _SIZE] += 1
                up = _next_counted(record[up, _PARENT], i, record)


def _matrix_kernel(
    sponsor: np.ndarray, width: int, parent: np.ndarray, position: np.ndarray
) -> None:
    n = sponsor.shape[0]
    child = np.full((n, width), -1, dtype=np.int64)
    level = np.zeros(n, dtype=np.int64)  # first level under the sponsor that is not full
    cursor = np.zeros(n, dtype=np.int64)  # nodes of that level before the cursor are full
    for i in range(n):
        enroller = sponsor[i]
        if enroller < 0:
            parent[i] = -1
            position[i] = -1
            continue
        depth = level[enroller]
        index = cursor[enroller]
        level_size = 1
        for _ in range(depth):
            level_size *= width
        while True:
            node = enroller
            step = level_size // width
            for _ in range(depth):
                node = child[node, (index // step) % width]
                step //= width
            slot = -1
            for p in range(width):
                if child[node, p] < 0:
                    slot = p
                    break
            if slot >= 0:
                break
            index += 1
            if index == level_size:
                depth += 1
                index = 0
                level_size *= width
        level[enroller] = depth
        cursor[enroller] = index
        child[node, slot] = i
        parent[i] = node
        position[i] = slot + 1


def _compile(kernel: Callable[..., Any], **helpers: Callable[..., Any]) -> Callable[..., Any]:
    """``kernel`` compiled by numba, calling the compiled ``helpers`` it names."""
    assert numba is not None
    scope = {**kernel.__globals__, **helpers}
    rebound = types.FunctionType(kernel.__code__, scope, kernel.__name__)
    return numba.njit(cache=True)(rebound)


if HAVE_NUMBA:
    _binary_compiled = _compile(
        _binary_kernel,
        _outer_bottom=numba.njit(cache=True)(_outer_bottom),
        _next_counted=numba.njit(cache=True)(_next_counted),
    )
    _matrix_compiled = _compile(_matrix_kernel)


def _validated_sponsors(sponsor: np.ndarray) -> np.ndarray:
    """Sponsors as int64 with every sponsor joined before the member (or -1 for a root)."""
    sponsors = np.ascontiguousarray(sponsor, dtype=np.int64)
    if sponsors.ndim != 1:
        raise ValueError("sponsor must be a one-dimensional array")
    joined_before = (sponsors >= -1) & (sponsors < np.arange(sponsors.shape[0]))
    if not joined_before.all():
        first = int(np.flatnonzero(~joined_before)[0])
        raise ValueError(
            f"member {first}: sponsor {int(sponsors[first])} must be -1 or an earlier member"
        )
    return sponsors


def place_all(
    sponsor: np.ndarray,
    kind: PlacementKind | str,
    rule: BinaryRule | str = BinaryRule.WEAKER_LEG,
    width: int = 3,
    use_numba: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Placement parent (int64, -1 for roots) and position (int8, -1 for roots) of everyone.

    Members are ``0..n-1`` in join order and ``sponsor[i] < i`` (or -1). Binary positions
    are 0 (L) and 1 (R); matrix positions are 1..width. With kind ``none`` nobody is placed.
    """
    kind = PlacementKind(kind)
    sponsors = _validated_sponsors(sponsor)
    n = sponsors.shape[0]
    parent = np.full(n, -1, dtype=np.int64)
    position = np.full(n, -1, dtype=np.int8)
    compiled = use_numba and HAVE_NUMBA
    if kind is PlacementKind.BINARY:
        code = _RULE_CODES[BinaryRule(rule)]
        (_binary_compiled if compiled else _binary_kernel)(sponsors, code, parent, position)
    elif kind is PlacementKind.MATRIX:
        if not 2 <= width <= 100:
            raise ValueError(f"matrix width must be 2..100, got {width}")
        (_matrix_compiled if compiled else _matrix_kernel)(sponsors, width, parent, position)
    return parent, position

"""A forest as frozen preorder arrays, built without a Python loop over members.

Input is a parent index per member (any order, -1 for a root). Output renumbers the
members in preorder (parents before children, siblings by input index), so every
subtree is the contiguous range ``[i, end[i])`` and subtree sums are prefix sums.

Two implementations give identical arrays: compiled (numba) kernels, used by default
(when members come in join order, i.e. every parent index is below its child's: sizes
by one descending scan, then one ascending scan in which each member takes the next
free position under its parent, with no child list; otherwise a depth-first walk over
a counting-sorted child list; both O(n)); and a numpy fallback (depths by
pointer jumping, which also detects loops; subtree sizes by a bottom-up sweep over
depth levels; positions by a top-down sweep). Tests hold them to each other and to a
plain DFS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numba
import numpy as np

from fairtree.errors import CycleError, UnknownMemberError


@dataclass(frozen=True)
class Tree:
    """A forest in preorder. Index ``i`` is a preorder position, not an input index.

    ``order[i]`` is the input index of the member at position ``i``; ``position`` is
    its inverse. ``parent``, ``depth`` and ``end`` are in preorder positions.
    """

    order: np.ndarray  # int64, preorder position -> input index
    position: np.ndarray  # int64, input index -> preorder position
    parent: np.ndarray  # int64, preorder parent position, -1 for a root
    depth: np.ndarray  # int32, 0 for a root
    end: np.ndarray  # int64, subtree of i is [i, end[i])

    @property
    def size(self) -> int:
        return int(self.order.shape[0])

    def subtree_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` (in preorder) over each member's subtree, self included."""
        cum = np.zeros(self.size + 1, dtype=np.int64)
        np.cumsum(values, out=cum[1:])
        return self.subtree_from_prefix(cum)

    def subtree_from_prefix(self, cum: np.ndarray) -> np.ndarray:
        """Subtree sums from a prefix sum ``cum`` (length size + 1, cum[0] = 0), with
        one array beside ``cum`` (no third temporary)."""
        out = cum[self.end]
        out -= cum[:-1]
        return out

    @cached_property
    def single_root(self) -> bool:
        """One tree (not a forest): the root is position 0, everyone else has a parent."""
        return bool(self.size > 0 and self.parent[0] == -1 and (self.parent[1:] >= 0).all())

    def children_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over each member's direct children (frontline)."""
        return sum_into(self.parent, values)

    def ancestor(self, steps: int) -> np.ndarray:
        """The ancestor ``steps`` levels up (-1 past a root); ``steps`` gathers."""
        node = np.arange(self.size, dtype=np.int64)
        for _ in range(steps):
            node = np.where(node >= 0, self.parent[np.maximum(node, 0)], -1)
        return node


@numba.njit(cache=True)
def _sum_into_kernel(target, values, out):  # pragma: no cover - compiled
    for i in range(target.shape[0]):
        t = target[i]
        if t >= 0:
            out[t] += values[i]
    return out


def sum_into(target: np.ndarray, values: np.ndarray, size: int | None = None) -> np.ndarray:
    """``out[target[i]] += values[i]`` for every ``target[i] >= 0`` (int64, exact);
    ``out`` has ``size`` entries (default: as many as ``values``).

    One compiled pass; on preorder arrays the targets (parents, compressed parents)
    lie close to their sources, so it runs near memory speed where ``np.add.at``
    pays per element. ``sum_into_numpy`` is the fallback the tests hold it to.
    """
    values = np.asarray(values, dtype=np.int64)
    out = np.zeros(values.shape[0] if size is None else size, dtype=np.int64)
    return _sum_into_kernel(np.asarray(target, dtype=np.int64), values, out)


def sum_into_numpy(target: np.ndarray, values: np.ndarray, size: int | None = None) -> np.ndarray:
    out = np.zeros(np.shape(values)[0] if size is None else size, dtype=np.int64)
    keep = np.asarray(target) >= 0
    np.add.at(out, np.asarray(target)[keep], np.asarray(values, dtype=np.int64)[keep])
    return out


def _names(ids: Sequence[object] | np.ndarray | None, index: int) -> str:
    return str(ids[index]) if ids is not None else f"#{index}"


def _check_parents(parent: np.ndarray, ids: Sequence[object] | np.ndarray | None) -> None:
    bad = np.flatnonzero((parent < -1) | (parent >= parent.shape[0]))
    if bad.size:
        first = int(bad[0])
        raise UnknownMemberError(
            f"member {_names(ids, first)} names an unknown parent (index {int(parent[first])})"
        )


def _depths(parent: np.ndarray, ids: Sequence[object] | np.ndarray | None) -> np.ndarray:
    """Depth of every member by pointer jumping; a chain still open afterwards loops."""
    n = parent.shape[0]
    depth = (parent >= 0).astype(np.int64)
    jump = parent.copy()
    rounds = max(1, int(np.ceil(np.log2(max(n, 2)))) + 1)
    for _ in range(rounds):
        open_ = np.flatnonzero(jump >= 0)
        if open_.size == 0:
            return depth
        target = jump[open_]
        depth[open_] += depth[target]
        jump[open_] = jump[target]
    still_open = np.flatnonzero(jump >= 0)
    if still_open.size:
        on_loop = _member_on_loop(parent, int(still_open[0]))
        raise CycleError(f"the chain above member {_names(ids, on_loop)} loops back to it")
    return depth


def _member_on_loop(parent: np.ndarray, start: int) -> int:
    """The smallest member on the loop reached from ``start`` (error path only)."""
    node = start
    for _ in range(parent.shape[0]):  # n steps from anywhere above a loop land on it
        node = int(parent[node])
    loop = [node]
    cur = int(parent[node])
    while cur != node:
        loop.append(cur)
        cur = int(parent[cur])
    return min(loop)


@numba.njit(cache=True)
def _preorder_kernel(parent: np.ndarray, fill_order: np.ndarray):  # pragma: no cover - compiled
    """Counting-sort children by parent, then one DFS writing preorder arrays directly."""
    n = parent.shape[0]
    first_child = np.zeros(n + 2, dtype=np.int64)  # CSR over parent + 1 (slot 0 = roots)
    for i in range(n):
        first_child[parent[i] + 2] += 1
    for k in range(1, n + 2):
        first_child[k] += first_child[k - 1]
    cursor = first_child.copy()
    children = np.empty(n, dtype=np.int64)
    for j in range(n):
        i = fill_order[j]
        slot = parent[i] + 1
        children[cursor[slot]] = i
        cursor[slot] += 1
    order = np.empty(n, dtype=np.int64)
    position = np.full(n, -1, dtype=np.int64)
    pre_parent = np.empty(n, dtype=np.int64)
    pre_depth = np.zeros(n, dtype=np.int32)
    stack = np.empty(n, dtype=np.int64)
    stack_parent = np.empty(n, dtype=np.int64)  # preorder position of the pushed node's parent
    top = 0
    for k in range(first_child[1] - 1, first_child[0] - 1, -1):
        stack[top] = children[k]
        stack_parent[top] = -1
        top += 1
    count = 0
    while top > 0:
        top -= 1
        node = stack[top]
        up = stack_parent[top]
        position[node] = count
        order[count] = node
        pre_parent[count] = up
        if up >= 0:
            pre_depth[count] = pre_depth[up] + 1
        for k in range(first_child[node + 2] - 1, first_child[node + 1] - 1, -1):
            stack[top] = children[k]
            stack_parent[top] = count
            top += 1
        count += 1
    end = np.arange(n, dtype=np.int64) + 1
    for k in range(count - 1, -1, -1):
        if pre_parent[k] >= 0 and end[k] > end[pre_parent[k]]:
            end[pre_parent[k]] = end[k]
    return order, position, pre_parent, pre_depth, end, count


@numba.njit(cache=True)
def parents_status(parent: np.ndarray) -> tuple[int, bool]:  # pragma: no cover - compiled
    """(first member naming a parent outside the members, or -1; whether every parent
    index is below its child's, i.e. members come in join order): one pass."""
    n = parent.shape[0]
    joined = True
    for i in range(n):
        p = parent[i]
        if p < -1 or p >= n:
            return i, False
        if p >= i:
            joined = False
    return -1, joined


@numba.njit(cache=True)
def _join_order_sizes(parent: np.ndarray, size: np.ndarray) -> np.ndarray:  # pragma: no cover
    """Subtree sizes into ``size`` (all ones), children before parents by descending
    index (join order)."""
    n = parent.shape[0]
    for i in range(n - 1, -1, -1):
        if parent[i] >= 0:
            size[parent[i]] += size[i]
    return size


@numba.njit(cache=True)
def _join_order_kernel(
    parent, free, order, position, pre_parent, pre_depth, end
):  # pragma: no cover
    """Preorder of a forest in join order with siblings by index: two sequential scans.

    Sizes bottom-up by descending index; then by ascending index each member takes the
    next free position under its parent (parents come first), and the size array is
    reused in place as each member's next free position for its own children. No child
    list is built.
    """
    n = parent.shape[0]
    _join_order_sizes(parent, free)  # size[i] until i is placed, then i's next free slot
    next_root = 0
    for i in range(n):
        size = free[i]
        p = parent[i]
        if p >= 0:
            q = free[p]
            free[p] = q + size
            up = position[p]
            pre_parent[q] = up
            pre_depth[q] = pre_depth[up] + 1
        else:
            q = next_root
            next_root = q + size
            pre_parent[q] = -1
            pre_depth[q] = 0
        free[i] = q + 1
        position[i] = q
        order[q] = i
        end[q] = q + size


@numba.njit(cache=True)
def _sibling_offsets_by_key(parent, size, key, low, high, taken, offset):  # pragma: no cover
    """Each member's offset under its parent: the sizes of its siblings before it by
    (key, index), one scan per key value from ``low`` to ``high``; ``taken`` (n + 1
    zeros) is per parent + 1, slot 0 for the roots."""
    n = parent.shape[0]
    for value in range(low, high + 1):
        for i in range(n):
            if key[i] == value:
                slot = parent[i] + 1
                offset[i] = taken[slot]
                taken[slot] += size[i]


@numba.njit(cache=True)
def _sibling_offsets_by_fill(parent, size, fill_order, taken, offset):  # pragma: no cover
    """As :func:`_sibling_offsets_by_key`, siblings in ``fill_order``."""
    n = parent.shape[0]
    for j in range(n):
        i = fill_order[j]
        slot = parent[i] + 1
        offset[i] = taken[slot]
        taken[slot] += size[i]


@numba.njit(cache=True)
def _join_order_keyed_kernel(
    parent, size, offset, order, pre_parent, pre_depth, end
):  # pragma: no cover
    """Preorder arrays from sizes and sibling offsets, parents first by ascending index."""
    n = parent.shape[0]
    position = offset  # filled in place: a member's offset is read once, before its position
    for i in range(n):
        p = parent[i]
        if p >= 0:
            up = position[p]
            q = up + 1 + offset[i]
            pre_parent[q] = up
            pre_depth[q] = pre_depth[up] + 1
        else:
            q = offset[i]
            pre_parent[q] = -1
            pre_depth[q] = 0
        position[i] = q
        order[q] = i
        end[q] = q + size[i]


_KEY_SCANS = 16  # sibling keys spanning more values than this are sorted instead


def _join_order_tree(parent: np.ndarray, sibling_key: np.ndarray | None) -> Tree:
    # Every array is allocated by numpy, not inside the kernels: numpy asks the kernel
    # for huge pages on large arrays, which at 10M members saves most of the page-fault
    # time a compiled allocation pays on first touch.
    n = parent.shape[0]
    order = np.empty(n, dtype=np.int64)
    pre_parent = np.empty(n, dtype=np.int64)
    depth = np.empty(n, dtype=np.int32)
    end = np.empty(n, dtype=np.int64)
    size = np.ones(n, dtype=np.int64)
    if sibling_key is None:
        position = np.empty(n, dtype=np.int64)
        _join_order_kernel(parent, size, order, position, pre_parent, depth, end)
        return Tree(order=order, position=position, parent=pre_parent, depth=depth, end=end)
    _join_order_sizes(parent, size)
    key = np.asarray(sibling_key)
    low, high = (int(key.min()), int(key.max())) if key.dtype.kind in "iub" else (0, -1)
    taken, offset = np.zeros(n + 1, dtype=np.int64), np.empty(n, dtype=np.int64)
    if key.dtype.kind in "iub" and high - low < _KEY_SCANS:
        _sibling_offsets_by_key(parent, size, key, low, high, taken, offset)
    else:
        fill_order = np.argsort(key, kind="stable").astype(np.int64, copy=False)
        _sibling_offsets_by_fill(parent, size, fill_order, taken, offset)
    del taken
    _join_order_keyed_kernel(parent, size, offset, order, pre_parent, depth, end)
    return Tree(order=order, position=offset, parent=pre_parent, depth=depth, end=end)


def build_tree(
    parent_of: np.ndarray | Sequence[int],
    ids: Sequence[object] | np.ndarray | None = None,
    sibling_key: np.ndarray | None = None,
) -> Tree:
    """Preorder arrays for a forest given each member's parent input index (-1 = root).

    Siblings come in input order, or by ``sibling_key`` (e.g. the leg in a placement
    tree, so a binary left child precedes the right one) with input order breaking ties.

    Raises UnknownMemberError for a parent index outside the members and CycleError
    when following parents loops; both name the member (by ``ids`` when given).
    """
    parent = np.asarray(parent_of, dtype=np.int64)
    n = parent.shape[0]
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Tree(empty, empty, empty, np.zeros(0, dtype=np.int32), empty)
    bad, joined = parents_status(parent)
    if bad >= 0:
        _check_parents(parent, ids)
    if joined:  # parents come first, so no loop is possible
        return _join_order_tree(parent, sibling_key)
    if sibling_key is None:
        fill_order = np.arange(n, dtype=np.int64)
    else:
        # the kernel's counting sort by parent is stable, so filling in key order
        # leaves siblings ordered by key, then input index
        fill_order = np.argsort(np.asarray(sibling_key), kind="stable").astype(np.int64, copy=False)
    order, position, pre_parent, depth, end, visited = _preorder_kernel(parent, fill_order)
    if visited < n:  # members never reached from a root hang below a loop
        stray = int(np.flatnonzero(position < 0)[0])
        on_loop = _member_on_loop(parent, stray)
        raise CycleError(f"the chain above member {_names(ids, on_loop)} loops back to it")
    return Tree(order=order, position=position, parent=pre_parent, depth=depth, end=end)


def build_tree_numpy(
    parent_of: np.ndarray | Sequence[int],
    ids: Sequence[object] | np.ndarray | None = None,
    sibling_key: np.ndarray | None = None,
) -> Tree:
    """The numpy-only construction (no compiled code); same arrays as :func:`build_tree`."""
    parent = np.asarray(parent_of, dtype=np.int64)
    n = parent.shape[0]
    _check_parents(parent, ids)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Tree(empty, empty, empty, np.zeros(0, dtype=np.int32), empty)
    depth = _depths(parent, ids)

    # Members grouped by depth (stable: input order within a level).
    by_depth = np.argsort(depth, kind="stable")
    level_starts = np.searchsorted(depth[by_depth], np.arange(int(depth.max()) + 2))

    # Bottom-up: subtree sizes.
    size = np.ones(n, dtype=np.int64)
    for level in range(len(level_starts) - 2, 0, -1):
        nodes = by_depth[level_starts[level] : level_starts[level + 1]]
        np.add.at(size, parent[nodes], size[nodes])

    # Offset of each member among its siblings: sizes of earlier siblings (by input index).
    if sibling_key is None:
        siblings = np.argsort(parent, kind="stable")  # grouped by parent, input order inside
    else:
        siblings = np.lexsort((np.asarray(sibling_key), parent))
    sizes_sorted = size[siblings]
    running = np.cumsum(sizes_sorted) - sizes_sorted
    group_parent = parent[siblings]
    first_of_group = np.ones(n, dtype=bool)
    first_of_group[1:] = group_parent[1:] != group_parent[:-1]
    group_base = np.maximum.accumulate(np.where(first_of_group, running, 0))
    offset = np.empty(n, dtype=np.int64)
    offset[siblings] = running - group_base

    # Top-down: preorder position = parent's position + 1 + earlier siblings' sizes.
    position = np.empty(n, dtype=np.int64)
    roots = by_depth[: level_starts[1]]
    position[roots] = offset[roots]
    for level in range(1, len(level_starts) - 1):
        nodes = by_depth[level_starts[level] : level_starts[level + 1]]
        position[nodes] = position[parent[nodes]] + 1 + offset[nodes]

    order = np.empty(n, dtype=np.int64)
    order[position] = np.arange(n, dtype=np.int64)
    pre_parent = np.where(parent[order] >= 0, position[np.maximum(parent[order], 0)], -1)
    pre_end = np.arange(n, dtype=np.int64) + size[order]
    return Tree(
        order=order,
        position=position,
        parent=pre_parent,
        depth=depth[order].astype(np.int32),
        end=pre_end,
    )


def build_tree_reference(parent_of: Sequence[int]) -> Tree:
    """Plain recursive-free DFS: the obviously-right version the tests compare against."""
    n = len(parent_of)
    children: list[list[int]] = [[] for _ in range(n)]
    roots: list[int] = []
    for i, p in enumerate(parent_of):
        (roots if p < 0 else children[p]).append(i)
    order: list[int] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(children[node]))
    position = [0] * n
    for pos, node in enumerate(order):
        position[node] = pos
    size = [1] * n
    for node in reversed(order):
        if parent_of[node] >= 0:
            size[parent_of[node]] += size[node]
    depth = [0] * n
    for node in order:
        if parent_of[node] >= 0:
            depth[node] = depth[parent_of[node]] + 1
    return Tree(
        order=np.array(order, dtype=np.int64),
        position=np.array(position, dtype=np.int64),
        parent=np.array(
            [position[parent_of[v]] if parent_of[v] >= 0 else -1 for v in order], dtype=np.int64
        ),
        depth=np.array([depth[v] for v in order], dtype=np.int32),
        end=np.array([position[v] + size[v] for v in order], dtype=np.int64),
    )

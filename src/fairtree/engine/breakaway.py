"""Breakaway groups on the sponsor tree, vectorized (preorder arrays).

A member that breaks away takes its whole subtree out of every group above it; its
own group is its subtree minus the subtrees of the breakaway members below it.

- ``own_group``: prefix sums with the broken-away subtrees subtracted (no loop).
- ``volume_breakaways``: which members break away when the condition is a group
  volume measured on the member's *own* group, so it depends on the breakaways
  below. A compiled reverse-preorder pass (children come after parents, so walking
  backwards finishes every child before its parent); ``volume_breakaways_numpy``
  sweeps depth levels bottom-up and is tested against it.
- ``leader_above``: the nearest group head (breakaway member or root) strictly above
  each member: a compiled forward preorder pass (``marked_above``), whose numpy
  fallback is pointer jumping (``genealogy.compress.compressed_parent``).
"""

from __future__ import annotations

import numba
import numpy as np

from fairtree.genealogy.tree import Tree


@numba.njit(cache=True)
def _marked_above_kernel(parent, marked, up):  # pragma: no cover - compiled
    n = parent.shape[0]
    for i in range(n):  # preorder: a parent's answer is final before its children's
        p = parent[i]
        if p >= 0:
            up[i] = p if marked[p] else up[p]


def marked_above(tree: Tree, marked: np.ndarray) -> np.ndarray:
    """Nearest proper ancestor with ``marked`` (-1 if none): one forward preorder pass.

    Same result as ``compressed_parent(tree.parent, marked)`` (pointer jumping, the
    numpy fallback), which touches every member log2(depth) times.
    """
    up = np.full(tree.size, -1, dtype=np.int64)  # numpy's allocations take huge pages
    _marked_above_kernel(tree.parent, np.asarray(marked, dtype=np.bool_), up)
    return up


def own_group(tree: Tree, values: np.ndarray, breakaway: np.ndarray) -> np.ndarray:
    """Sum of ``values`` over each member's own group (subtree minus broken-away legs).

    excluded(i) = Σ full(b) over breakaway b strictly below i with no breakaway
    between b and i. Σ over all breakaway b below i counts too much: the b whose
    nearest breakaway ancestor ``u`` is also below i. Summing those per ``u`` (``y``)
    and subtracting that subtree sum removes exactly them.
    """
    full = tree.subtree_sum(values)
    x = np.where(breakaway, full, 0)
    up = marked_above(tree, breakaway)
    nested = breakaway & (up >= 0)
    y = np.zeros(tree.size, dtype=np.int64)
    np.add.at(y, up[nested], full[nested])
    return full - (tree.subtree_sum(x) - x) + (tree.subtree_sum(y) - y)


def leader_above(tree: Tree, breakaway: np.ndarray) -> np.ndarray:
    """Nearest proper ancestor that heads a group (breaks away, or is a root); -1 none."""
    heads = breakaway | (tree.parent < 0)
    return marked_above(tree, heads)


@numba.njit(cache=True)
def _volume_breakaway_kernel(parent, pv, eligible, threshold):  # pragma: no cover - compiled
    n = parent.shape[0]
    group = pv.copy()
    out = np.zeros(n, dtype=np.bool_)
    for i in range(n - 1, -1, -1):
        p = parent[i]
        if p < 0:
            continue
        if eligible[i] and group[i] >= threshold:
            out[i] = True
        else:
            group[p] += group[i]
    return out


def volume_breakaways(
    tree: Tree, pv: np.ndarray, eligible: np.ndarray, threshold: int
) -> np.ndarray:
    """Members (not roots) that are ``eligible`` with own group PV >= ``threshold``."""
    return _volume_breakaway_kernel(
        tree.parent, np.asarray(pv, dtype=np.int64), np.asarray(eligible, dtype=bool), threshold
    )


def volume_breakaways_numpy(
    tree: Tree, pv: np.ndarray, eligible: np.ndarray, threshold: int
) -> np.ndarray:
    """Same as :func:`volume_breakaways`, one vector step per depth level, deepest first."""
    group = np.asarray(pv, dtype=np.int64).copy()
    out = np.zeros(tree.size, dtype=bool)
    by_depth = np.argsort(tree.depth, kind="stable")
    bounds = np.searchsorted(tree.depth[by_depth], np.arange(int(tree.depth.max(initial=0)) + 2))
    for level in range(len(bounds) - 2, 0, -1):
        nodes = by_depth[bounds[level] : bounds[level + 1]]
        out[nodes] = eligible[nodes] & (group[nodes] >= threshold)
        stay = nodes[~out[nodes]]
        np.add.at(group, tree.parent[stay], group[stay])
    return out

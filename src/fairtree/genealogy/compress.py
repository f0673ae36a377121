"""Dynamic compression: each member's nearest ancestor that is kept (e.g. active)."""

from __future__ import annotations

import numpy as np


def compressed_parent(parent: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Nearest proper ancestor ``a`` with ``keep[a]`` (-1 if none), by pointer jumping.

    Each round replaces a pointer to a skipped member by that member's pointer, so the
    skipped stretch a pointer can cross doubles per round: log2(depth) rounds.
    """
    up = np.asarray(parent, dtype=np.int64).copy()
    while True:
        pending = np.flatnonzero(up >= 0)
        pending = pending[~keep[up[pending]]]
        if pending.size == 0:
            return up
        up[pending] = up[up[pending]]


def compressed_parent_reference(parent: list[int], keep: list[bool]) -> list[int]:
    out = []
    for node in range(len(parent)):
        up = parent[node]
        while up >= 0 and not keep[up]:
            up = parent[up]
        out.append(up)
    return out

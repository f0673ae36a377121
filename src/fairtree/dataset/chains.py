"""Loops in parent pointers (sponsor or placement chains), found by pointer jumping.

``parent[i]`` is the index of i's parent, or -1 for a root (or an unknown parent).
Every round doubles how far each pointer reaches, so log2(n) rounds of array gathers
decide for every member at once whether following parents ends at a root or loops.
"""

from __future__ import annotations

import numpy as np


def _rounds(n: int) -> int:
    return max(1, int(np.ceil(np.log2(max(n, 2)))) + 1)


def find_loops(parent: np.ndarray, limit: int = 100) -> tuple[list[np.ndarray], int]:
    """The loops (each as member indices in chain order, smallest index first) and how many.

    At most ``limit`` loops are returned in full; the count covers all of them.
    """
    n = parent.size
    if n == 0:
        return [], 0
    own = np.arange(n, dtype=np.int64)
    is_root = parent < 0
    pointer = np.where(is_root, own, parent).astype(np.int64)
    smallest = own.copy()
    for _ in range(_rounds(n)):
        smallest = np.minimum(smallest, smallest[pointer])
        pointer = pointer[pointer]
    # After 2**rounds >= n steps, anything not at a root has landed on a loop.
    stuck = ~is_root[pointer]
    if not stuck.any():
        return [], 0
    on_loop = np.unique(pointer[stuck])
    # The smallest index reachable from a loop member is the loop's own smallest member.
    representatives = np.unique(smallest[on_loop])
    loops = []
    for start in representatives[:limit].tolist():
        loop = [start]
        step = int(parent[start])
        while step != start:
            loop.append(step)
            step = int(parent[step])
        loops.append(np.array(loop, dtype=np.int64))
    return loops, int(representatives.size)

"""Sorting rows by their database id, which is unique and nearly dense."""

from __future__ import annotations

import numpy as np


def sorting_order(ids: np.ndarray) -> np.ndarray:
    """The permutation that sorts unique ``ids``: a slot per id when they are nearly
    dense (linear: 5,000,000 ids in a few tens of milliseconds), else a stable sort."""
    if ids.size == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(ids.min())
    span = int(ids.max()) - low + 1
    if span <= 4 * ids.size + 1024:
        slot = np.full(span, -1, dtype=np.int64)
        slot[ids - low] = np.arange(ids.size, dtype=np.int64)
        order = slot[slot >= 0]
        if order.size == ids.size:  # a repeated id would lose a row here: sort instead
            return order
    return np.argsort(ids, kind="stable")


def rows_by_id(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Columns with their rows sorted by the ``id`` column (a sorted read is left as it
    is: the usual case costs one comparison pass)."""
    ids = columns["id"]
    if ids.size < 2 or bool(np.all(ids[1:] > ids[:-1])):
        return columns
    order = sorting_order(ids)
    return {name: column[order] for name, column in columns.items()}

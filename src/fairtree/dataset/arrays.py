"""Small vectorized helpers shared by the checks: lookups and duplicate detection."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class Rows:
    """Rows of one table, ready to load: column name -> array, in the table's column order.

    Integer and boolean columns are numpy arrays; text and date columns are Arrow string
    arrays; columns that may be null are Arrow arrays with nulls.
    """

    table: str
    columns: dict[str, np.ndarray | pa.Array] = field(default_factory=dict)

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), None)
        return 0 if first is None else len(first)


def lookup(values: pa.Array, keys: pa.Array) -> np.ndarray:
    """Position in ``keys`` of each value (first match), -1 when absent."""
    found = pc.index_in(values, value_set=keys)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def take(values: np.ndarray, index: np.ndarray, fill: int | bool) -> np.ndarray:
    """``values[index]`` where index >= 0, else ``fill`` (also when ``values`` is empty)."""
    if values.size == 0:
        return np.full(index.size, fill, dtype=values.dtype)
    return np.where(index >= 0, values[np.clip(index, 0, values.size - 1)], fill)


def duplicates(values: pa.Array) -> np.ndarray:
    """Index of the first row with the same value, for rows that repeat one; else -1."""
    first = lookup(values, values)
    own = np.arange(len(values), dtype=np.int64)
    return np.where(first != own, first, -1)


def duplicate_keys(keys: np.ndarray) -> np.ndarray:
    """Like :func:`duplicates` for integer keys."""
    if keys.size == 0:
        return np.empty(0, dtype=np.int64)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    first_row = first[inverse]
    own = np.arange(keys.size, dtype=np.int64)
    return np.where(first_row != own, first_row, -1)


def group_sum(groups: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Exact int64 sum of ``values`` per group number (0..count-1)."""
    total = np.zeros(count, dtype=np.int64)
    np.add.at(total, groups, values.astype(np.int64))
    return total


def joined_key(*columns: pa.Array) -> pa.Array:
    """One text key from several columns (unit separator between them)."""
    return pc.binary_join_element_wise(*columns, "\x1f")


def nullable_ids(index: np.ndarray) -> pa.Array:
    """Database ids (row index + 1) with null where ``index`` is -1."""
    return pa.array(index + 1, type=pa.int64(), mask=index < 0)


def empty_to_null(column: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(pc.utf8_length(column), 0), pa.scalar(None, pa.string()), column)

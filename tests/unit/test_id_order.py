"""Sorting rows by database id: the slot-per-id path and the sorting path agree."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from fairtree.store.repositories.bulk.id_order import sorting_order


@given(st.lists(st.integers(min_value=-50, max_value=10**12), unique=True, max_size=200))
def test_the_order_sorts_any_unique_ids(values: list[int]) -> None:
    ids = np.array(values, dtype=np.int64)
    order = sorting_order(ids)
    assert ids[order].tolist() == sorted(values)


def test_dense_ids_take_the_slot_path_and_repeated_ids_are_not_lost() -> None:
    ids = np.array([7, 3, 5, 4, 6], dtype=np.int64)
    assert ids[sorting_order(ids)].tolist() == [3, 4, 5, 6, 7]
    repeated = np.array([3, 1, 3, 2], dtype=np.int64)
    assert repeated[sorting_order(repeated)].tolist() == [1, 2, 3, 3]
    assert sorting_order(np.zeros(0, dtype=np.int64)).tolist() == []

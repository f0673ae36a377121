"""Whole numbers as the text of one PostgreSQL array value."""

from __future__ import annotations

import numpy as np

from fairtree.store.repositories.int_arrays import int_array_text


def test_integers_become_the_array_text_postgresql_reads() -> None:
    assert int_array_text([3, 1, -2]) == "{3,1,-2}"
    assert int_array_text(np.array([7, 10_000_000_000], dtype=np.int64)) == "{7,10000000000}"
    assert int_array_text(iter([])) == "{}"

"""The vectorized pieces of the dataset checks against obvious slow versions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from fairtree.dataset import fields
from fairtree.dataset.chains import find_loops
from fairtree.dataset.writer import format_fixed
from fairtree.money import format_decimal, parse_decimal


def slow_loops(parent: list[int]) -> set[frozenset[int]]:
    """Walk from every member; a walk that revisits a member has found a loop."""
    loops = set()
    for start in range(len(parent)):
        seen: list[int] = []
        node = start
        while node >= 0 and node not in seen:
            seen.append(node)
            node = parent[node]
        if node >= 0:
            loops.add(frozenset(seen[seen.index(node) :]))
    return loops


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=-1, max_value=29), min_size=1, max_size=30))
def test_pointer_jumping_finds_exactly_the_loops(raw: list[int]) -> None:
    parent = [p if p < len(raw) else -1 for p in raw]
    loops, count = find_loops(np.array(parent, dtype=np.int64))
    found = {frozenset(loop.tolist()) for loop in loops}
    assert found == slow_loops(parent)
    assert count == len(found)
    for loop in loops:  # listed in chain order, starting at the smallest index
        assert loop[0] == loop.min()
        assert all(parent[a] == b for a, b in zip(loop, np.roll(loop, -1), strict=True))


def test_a_deep_chain_without_a_loop() -> None:
    parent = np.arange(-1, 99_999, dtype=np.int64)  # 0 <- 1 <- 2 <- ... a single line
    assert find_loops(parent) == ([], 0)


def test_a_loop_hanging_below_a_long_tail() -> None:
    parent = np.arange(-1, 999, dtype=np.int64)
    parent[0] = 999  # close the line into one loop of all 1000 members
    loops, count = find_loops(parent)
    assert count == 1
    assert loops[0].size == 1000


@given(
    st.lists(st.integers(min_value=-(10**15), max_value=10**15), min_size=1, max_size=20),
    st.sampled_from([0, 2, 3]),
)
def test_format_fixed_matches_the_scalar_formatter(values: list[int], exponent: int) -> None:
    array = np.array(values, dtype=np.int64)
    text = format_fixed(array, np.full(array.size, exponent)).to_pylist()
    assert text == [format_decimal(v, exponent) for v in values]


@given(st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=20))
def test_money_text_round_trips(values: list[int]) -> None:
    exponents = np.array([(0, 2, 3)[v % 3] for v in values])
    text = format_fixed(np.array(values, dtype=np.int64), exponents)
    parsed, bad = fields.parse_money(text, exponents)
    assert not bad.any()
    assert parsed.tolist() == values


def test_points_accept_up_to_two_decimals() -> None:
    values, bad = fields.parse_points(pa.array(["25", "37.5", "0.05", "1.234", "-1", "", "1."]))
    assert bad.tolist() == [False, False, False, True, True, True, True]
    assert values[:3].tolist() == [parse_decimal(t, 2) for t in ("25", "37.5", "0.05")]


def test_money_refuses_other_digit_counts() -> None:
    exponents = np.array([2, 2, 0, 0, 3])
    _, bad = fields.parse_money(pa.array(["49.9", "49.90", "5000", "5000.0", "1.000"]), exponents)
    assert bad.tolist() == [True, False, False, True, False]


def test_dates_must_exist() -> None:
    days, bad = fields.parse_date(pa.array(["2024-02-29", "2025-02-29", "2026-1-05", "1970-01-02"]))
    assert bad.tolist() == [False, True, True, False]
    assert days[3] == 1

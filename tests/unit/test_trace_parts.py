"""A part of a trace's explanation is exactly those lines of the whole, naming exactly
the members those lines name."""

from __future__ import annotations

import pytest

from fairtree.engine.trace import Contribution, TraceLine

TRACE = TraceLine(
    bonus_id="uni",
    kind="unilevel",
    member="A",
    amount=734,
    exact="7.335",
    rounding="half_up",
    rank="silver",
    rule="unilevel 2 levels on BV",
    contributions=(
        Contribution("B", 1, 2000, 100_000, True, orders=("O-B",)),
        Contribution("C", 1, 3335, 100_000, True, orders=("O-C",), skipped=("B",)),
        Contribution("D", 2, 4000, 50_000, False, skipped=("B", "E"), note="rank too low"),
    ),
)
NAMES = {"A": "Ann", "B": "Bo", "D": "Di"}


def test_the_whole_explanation_reads_as_before() -> None:
    assert TRACE.describe("USD", NAMES) == [
        "uni (unilevel) for Ann (A): 7.34 USD",
        "  rule: unilevel 2 levels on BV",
        "  rank: silver",
        "  level 1: Bo (B) 20.00 points x 10% [orders O-B]",
        "  level 1: C 33.35 points x 10% (compressed past Bo (B)) [orders O-C]",
        "  level 2: Di (D) 40.00 points x 5% (compressed past Bo (B), E) -> not paid: rank too low",
        "  exact 7.335 USD, rounded half_up",
    ]
    assert TRACE.line_count() == 7
    assert TRACE.member_ids() == {"A", "B", "C", "D", "E"}


@pytest.mark.parametrize("start", range(9))
@pytest.mark.parametrize("stop", range(9))
def test_every_part_is_those_lines_of_the_whole(start: int, stop: int) -> None:
    whole = TRACE.describe("USD", NAMES)
    assert TRACE.describe("USD", NAMES, slice(start, stop)) == whole[start:stop]
    named = {"A"} if start == 0 < stop else set()
    for line, members in ((3, {"B"}), (4, {"C", "B"}), (5, {"D", "B", "E"})):
        if start <= line < stop:
            named |= members
    assert TRACE.member_ids(slice(start, stop)) == named


def test_a_part_is_a_run_of_lines() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        TRACE.describe("USD", None, slice(0, 7, 2))

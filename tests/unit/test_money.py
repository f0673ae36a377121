from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairtree.money import (
    Money,
    RoundingRule,
    allocate,
    format_amount,
    format_points,
    parse_amount,
    parse_points,
    round_decimal,
    round_div,
    round_div_array,
    round_div_array_numpy,
)


def test_parse_and_format_amount_by_currency_exponent():
    assert parse_amount("49.90", "USD") == 4990
    assert parse_amount("5000", "JPY") == 5000
    assert parse_amount("1.234", "KWD") == 1234
    assert format_amount(4990, "USD") == "49.90"
    assert format_amount(-5, "EUR") == "-0.05"
    assert format_amount(5000, "JPY") == "5000"


def test_parse_amount_refuses_lost_precision_and_garbage():
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        parse_amount("1.005", "USD")
    with pytest.raises(ValueError, match="not a number"):
        parse_amount("ten", "USD")
    with pytest.raises(ValueError, match="not a finite"):
        parse_amount("NaN", "USD")
    with pytest.raises(ValueError, match="ISO 4217"):
        parse_amount("1", "usd")


def test_points_are_hundredths():
    assert parse_points("37.5") == 3750
    assert format_points(3750) == "37.50"


def test_money_refuses_mixed_currencies():
    assert Money(100, "USD") + Money(250, "USD") == Money(350, "USD")
    assert str(Money.parse("12.5", "EUR")) == "12.50 EUR"
    with pytest.raises(ValueError, match="cannot mix"):
        Money(1, "USD") + Money(1, "EUR")


@pytest.mark.parametrize(
    ("num", "den", "rule", "expected"),
    [
        (5, 2, RoundingRule.HALF_UP, 3),
        (5, 2, RoundingRule.HALF_EVEN, 2),
        (7, 2, RoundingRule.HALF_EVEN, 4),
        (5, 2, RoundingRule.DOWN, 2),
        (-5, 2, RoundingRule.HALF_UP, -3),
        (-5, 2, RoundingRule.DOWN, -2),
        (10, 3, RoundingRule.HALF_UP, 3),
        (20, 3, RoundingRule.HALF_UP, 7),
    ],
)
def test_round_div(num, den, rule, expected):
    assert round_div(num, den, rule) == expected


@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=50),
    st.integers(1, 10**6),
    st.sampled_from(list(RoundingRule)),
)
def test_round_div_array_matches_scalar_and_decimal(values, den, rule):
    got = round_div_array(np.array(values, dtype=np.int64), den, rule)
    assert got.tolist() == [round_div(v, den, rule) for v in values]
    assert got.tolist() == round_div_array_numpy(np.array(values), den, rule).tolist()
    assert got.tolist() == [round_decimal(Decimal(v) / Decimal(den), rule) for v in values]


@given(st.integers(-(10**9), 10**9), st.lists(st.integers(0, 1000), min_size=1, max_size=20))
def test_allocate_parts_sum_to_total(total, weights):
    if sum(weights) == 0:
        if total == 0:
            assert allocate(total, weights) == [0] * len(weights)
        return
    parts = allocate(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / sum(weights)
        assert abs(Decimal(part) - exact) < 1


def test_allocate_is_deterministic_on_ties():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]

"""Distribution figures: exact medians, means, shares and the Gini coefficient."""

from decimal import Decimal

import numpy as np
import pytest

from fairtree.disclosure import figures


def test_median_is_an_actual_participants_pay():
    values = figures.sorted_copy(np.array([5, 1, 3, 100], dtype=np.int64))
    assert figures.median_minor(values) == 3  # lower middle, no midpoint nobody received
    assert figures.nearest_rank(values, 99) == 100
    assert figures.nearest_rank(values, 10) == 1


def test_mean_rounds_half_even_once():
    assert figures.mean_minor(np.array([1, 2], dtype=np.int64)) == 2  # 1.5 -> 2
    assert figures.mean_minor(np.array([1, 4], dtype=np.int64)) == 2  # 2.5 -> 2
    assert figures.mean_minor(np.array([], dtype=np.int64)) == 0


def test_gini_of_equal_and_of_one_taking_all():
    assert figures.gini(figures.sorted_copy(np.full(10, 7, dtype=np.int64))) == Decimal("0.0000")
    one = figures.sorted_copy(np.array([0, 0, 0, 100], dtype=np.int64))
    assert figures.gini(one) == Decimal("0.7500")  # (n - 1) / n


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gini_matches_the_mean_absolute_difference(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 10_000, size=200)
    expected = np.abs(values[:, None] - values[None, :]).sum() / (
        2 * values.size**2 * values.mean()
    )
    got = figures.gini(figures.sorted_copy(values))
    assert abs(float(got) - expected) < 0.0001


def test_top_share_and_lorenz():
    values = figures.sorted_copy(np.array([0] * 98 + [10, 90], dtype=np.int64))
    assert figures.top_share(values, 1) == Decimal("0.9000")
    assert figures.top_share(values, 10) == Decimal("1.0000")
    curve = figures.lorenz(values, steps=4)
    assert [p.pay_share for p in curve] == [Decimal("0.0000")] * 4 + [Decimal("1.0000")]


def test_share_has_four_places():
    assert figures.share(1, 3) == Decimal("0.3333")
    assert figures.share(0, 0) == Decimal("0.0000")

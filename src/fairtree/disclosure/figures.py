"""Distribution figures over whole populations: exact where they are money.

Amounts are int64 minor units. A median or percentile is the amount of an actual
participant (nearest rank: the smallest amount at or above which ``p`` percent of the
participants fall), never a midpoint nobody received, so it is exact to the minor unit.
A mean is the exact total divided by the count, rounded half-even once. Shares are
exact fractions written with four decimals. Nothing here loops over participants.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import numpy as np

SHARE_PLACES = Decimal("0.0001")


def share(part: int, whole: int) -> Decimal:
    """``part / whole`` as a Decimal with four places (0 when ``whole`` is 0)."""
    if whole == 0:
        return Decimal("0.0000")
    exact = Fraction(int(part), int(whole))
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        SHARE_PLACES, rounding=ROUND_HALF_EVEN
    )


def mean_minor(values: np.ndarray) -> int:
    """Exact total over the count, rounded half-even to the minor unit (0 when empty)."""
    if values.size == 0:
        return 0
    total = int(values.sum(dtype=np.int64))
    quotient, remainder = divmod(total, values.size)
    doubled = 2 * remainder
    if doubled > values.size or (doubled == values.size and quotient % 2 == 1):
        quotient += 1
    return quotient


def nearest_rank(sorted_values: np.ndarray, percent: int) -> int:
    """The amount at the ``percent`` nearest rank of ascending ``sorted_values`` (0 if empty)."""
    count = sorted_values.size
    if count == 0:
        return 0
    rank = max(1, -(-percent * count // 100))  # ceil(percent * count / 100)
    return int(sorted_values[rank - 1])


def median_minor(sorted_values: np.ndarray) -> int:
    return nearest_rank(sorted_values, 50)


def top_share(sorted_values: np.ndarray, percent: int) -> Decimal:
    """Share of the positive total received by the best-paid ``percent`` of participants."""
    count = sorted_values.size
    positive = np.maximum(sorted_values, 0)
    total = int(positive.sum(dtype=np.int64))
    if count == 0 or total == 0:
        return share(0, 1)
    top = max(1, -(-percent * count // 100))
    return share(int(positive[count - top :].sum(dtype=np.int64)), total)


def gini(sorted_values: np.ndarray) -> Decimal:
    """Gini coefficient of amounts (negative amounts count as 0), four places.

    G = 2 Σ i·x_i / (n Σ x) - (n + 1) / n over ascending x, i = 1..n, in exact integers.
    """
    count = sorted_values.size
    positive = np.maximum(sorted_values, 0).astype(np.int64)
    total = int(positive.sum(dtype=np.int64))
    if count == 0 or total == 0:
        return share(0, 1)
    # Σ i·x_i = Σ_k (suffix sum from k): exact with Python ints over int64 partial sums.
    suffix = np.cumsum(positive[::-1], dtype=np.int64)
    weighted = int(suffix.sum(dtype=object))
    exact = Fraction(2 * weighted, count * total) - Fraction(count + 1, count)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        SHARE_PLACES, rounding=ROUND_HALF_EVEN
    )


@dataclass(frozen=True)
class LorenzPoint:
    population_share: Decimal  # the least-paid share of participants
    pay_share: Decimal  # their share of all (positive) pay


def lorenz(sorted_values: np.ndarray, steps: int = 20) -> list[LorenzPoint]:
    """The Lorenz curve at ``steps`` equal population steps (plus the origin)."""
    count = sorted_values.size
    positive = np.maximum(sorted_values, 0).astype(np.int64)
    cumulative = np.concatenate([[0], np.cumsum(positive, dtype=np.int64)])
    total = int(cumulative[-1])
    points = []
    for step in range(steps + 1):
        people = step * count // steps
        points.append(
            LorenzPoint(share(people, max(count, 1)), share(int(cumulative[people]), total))
        )
    return points


def sorted_copy(values: np.ndarray) -> np.ndarray:
    return np.sort(values.astype(np.int64), kind="stable")

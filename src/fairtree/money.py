"""Exact money: integer minor units inside, Decimal strings at the edges.

Nothing here uses float. Amounts are Python ints (or int64 arrays in the engine);
division rounds once, by the plan's rule, and splits use the largest-remainder
method so the parts always add up to the whole, to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

import numba
import numpy as np

# ISO 4217 minor-unit exponents for the currencies we know; others default to 2.
CURRENCY_EXPONENTS: dict[str, int] = {
    "BHD": 3, "CLP": 0, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3,
    "OMR": 3, "TND": 3, "UGX": 0, "VND": 0, "XAF": 0, "XOF": 0,
}  # fmt: skip

# Volumes (PV, BV) are plan points with two decimals, stored as integer hundredths.
POINT_EXPONENT = 2
POINT_SCALE = 10**POINT_EXPONENT


class RoundingRule(StrEnum):
    """How a plan turns an exact fraction into whole minor units."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    DOWN = "down"  # toward zero: never pays a fraction that was not earned


_DECIMAL_ROUNDING = {
    RoundingRule.HALF_UP: ROUND_HALF_UP,
    RoundingRule.HALF_EVEN: ROUND_HALF_EVEN,
    RoundingRule.DOWN: ROUND_DOWN,
}


def currency_exponent(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (2 unless ISO says otherwise)."""
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise ValueError(f"currency must be a three-letter ISO 4217 code, got {currency!r}")
    return CURRENCY_EXPONENTS.get(currency, 2)


# The most units a stored amount, volume or count may hold (a 64-bit column).
MAX_UNITS = 2**63 - 1


def parse_decimal(text: str, exponent: int, what: str = "amount") -> int:
    """Parse ``"12.50"`` into integer units of 10**-exponent, refusing lost precision."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{what} {text!r} is not a finite number")
    scaled = value.scaleb(exponent)
    if scaled.adjusted() > 18 or abs(scaled) > MAX_UNITS:
        raise ValueError(f"{what} {text!r} is too large")
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{what} {text!r} has more than {exponent} decimal places")
    return int(scaled)


def format_decimal(units: int, exponent: int) -> str:
    """Inverse of :func:`parse_decimal`: ``1250, 2 -> "12.50"``."""
    if exponent == 0:
        return str(int(units))
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(int(units)), 10**exponent)
    return f"{sign}{whole}.{frac:0{exponent}d}"


def parse_amount(text: str, currency: str) -> int:
    """Money text in ``currency`` to minor units."""
    return parse_decimal(text, currency_exponent(currency), "amount")


def format_amount(minor: int, currency: str) -> str:
    """Minor units to plain text, e.g. ``1250, "USD" -> "12.50"``."""
    return format_decimal(minor, currency_exponent(currency))


def parse_points(text: str) -> int:
    """Volume points text (``"49.5"``) to integer hundredths."""
    return parse_decimal(text, POINT_EXPONENT, "volume")


def format_points(hundredths: int) -> str:
    return format_decimal(hundredths, POINT_EXPONENT)


@dataclass(frozen=True, order=True)
class Money:
    """An amount in one currency, in minor units."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        currency_exponent(self.currency)
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError("Money.minor must be an int of minor units")

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        return cls(parse_amount(text, currency), currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __str__(self) -> str:
        return f"{format_amount(self.minor, self.currency)} {self.currency}"


def round_div(numerator: int, denominator: int, rule: RoundingRule) -> int:
    """Exact ``numerator / denominator`` rounded once by ``rule`` (integers only)."""
    if denominator == 0:
        raise ZeroDivisionError("round_div by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    q, r = divmod(abs(numerator), denominator)
    sign = -1 if numerator < 0 else 1
    if rule is RoundingRule.DOWN or r == 0:
        return sign * q
    twice = 2 * r
    if twice > denominator or (
        twice == denominator and (rule is RoundingRule.HALF_UP or q % 2 == 1)
    ):
        q += 1
    return sign * q


_RULE_CODES = {RoundingRule.DOWN: 0, RoundingRule.HALF_UP: 1, RoundingRule.HALF_EVEN: 2}


@numba.njit(cache=True)
def round_div_compiled(value, denominator, rule):  # pragma: no cover - compiled
    """:func:`round_div` of one int64 in compiled code (rule 0 down, 1 half up, 2 half
    even: ``rule_code``), for kernels that round as they go."""
    magnitude = -value if value < 0 else value
    q = magnitude // denominator
    r = magnitude - q * denominator
    if rule != 0 and r != 0:
        twice = 2 * r
        if twice > denominator or (twice == denominator and (rule == 1 or q % 2 == 1)):
            q += 1
    return -q if value < 0 else q


@numba.njit(cache=True)
def _round_div_kernel(num, denominator, rule, out):  # pragma: no cover - compiled
    """:func:`round_div` per element, one pass."""
    for i in range(num.shape[0]):
        out[i] = round_div_compiled(num[i], denominator, rule)


def rule_code(rule: RoundingRule) -> int:
    """The rule as the code :func:`round_div_compiled` takes."""
    return _RULE_CODES[RoundingRule(rule)]


def round_div_array(
    numerator: np.ndarray, denominator: int, rule: RoundingRule, out: np.ndarray | None = None
) -> np.ndarray:
    """Vector form of :func:`round_div` on int64 arrays; bit-for-bit the same results.

    One compiled pass over a 1-D array (numpy's divmod, compares and masks took about
    eight); ``round_div_array_numpy`` is the form the tests hold it to. ``out`` (an
    int64 array as long, possibly ``numerator`` itself) takes the result instead of a
    new array."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    num = np.asarray(numerator, dtype=np.int64)
    if num.ndim != 1:
        return round_div_array_numpy(num, denominator, rule)
    out = np.empty_like(num) if out is None else out
    _round_div_kernel(num, np.int64(denominator), rule_code(rule), out)
    return out


def round_div_array_numpy(
    numerator: np.ndarray, denominator: int, rule: RoundingRule
) -> np.ndarray:
    """:func:`round_div_array` in numpy."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    num = np.asarray(numerator, dtype=np.int64)
    if num.ndim == 0:
        return np.asarray(round_div(int(num), denominator, rule), dtype=np.int64)
    negative = num < 0
    q, r = np.divmod(np.abs(num), np.int64(denominator))  # magnitudes; few temporaries
    if rule is not RoundingRule.DOWN:
        r *= 2  # twice the remainder, compared with the denominator
        if rule is RoundingRule.HALF_UP:
            up = r >= denominator
        else:
            up = (r > denominator) | ((r == denominator) & (q % 2 == 1))
        up &= r != 0
        del r
        q += up
    np.negative(q, out=q, where=negative)
    return q


def round_decimal(value: Decimal, rule: RoundingRule) -> int:
    """Round an exact Decimal to a whole number of units (reference-evaluator edge)."""
    return int(value.to_integral_value(rounding=_DECIMAL_ROUNDING[rule]))


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` by integer ``weights`` so the parts sum to ``total`` exactly.

    Largest-remainder method; ties go to the earlier weight, so the result is
    deterministic.
    """
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total != 0:
            raise ValueError("cannot allocate a non-zero total over zero weights")
        return [0] * len(weights)
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w - f * weight_sum for f, w in zip(floors, weights, strict=True)]
    short = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:short]:
        floors[i] += 1
    return floors

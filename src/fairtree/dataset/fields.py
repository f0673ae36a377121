"""Vectorized parsing of CSV text columns: each check returns a mask of bad rows.

Columns arrive as Arrow string arrays without nulls (empty text means "none").
Nothing here loops over rows in Python.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.money import POINT_EXPONENT, currency_exponent

ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
# an order's kind: order, return, or a kind a plan may ask for (e.g. subscription)
ORDER_KIND_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
POSITIVE_INT_PATTERN = r"^[1-9][0-9]{0,8}$"
POINTS_PATTERN = r"^(?P<whole>[0-9]{1,13})(?:\.(?P<frac>[0-9]{1,2}))?$"
_MAX_MONEY_DIGITS = 15


def to_numpy_bool(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def matches(column: pa.Array, pattern: str) -> np.ndarray:
    return to_numpy_bool(pc.match_substring_regex(column, pattern))


def is_empty(column: pa.Array) -> np.ndarray:
    return to_numpy_bool(pc.equal(pc.utf8_length(column), 0))


def bad_id(column: pa.Array, *, optional: bool = False) -> np.ndarray:
    """Rows whose id is not 1-64 characters of ``A-Z a-z 0-9 - _ .`` (empty ok if optional)."""
    bad = ~matches(column, ID_PATTERN)
    return bad & ~is_empty(column) if optional else bad


def bad_enum(column: pa.Array, allowed: tuple[str, ...]) -> np.ndarray:
    return ~to_numpy_bool(pc.is_in(column, value_set=pa.array(allowed, pa.string())))


def parse_bool(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """``true``/``false`` to a bool array, and the mask of anything else."""
    return to_numpy_bool(pc.equal(column, "true")), bad_enum(column, ("true", "false"))


def parse_date(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """ISO dates to days since 1970 (int32), and the mask of text that is not a real date."""
    shaped = matches(column, DATE_PATTERN)
    if shaped.all():
        try:  # the strict cast is fast and refuses impossible dates like 2026-02-30 ...
            days = pc.cast(column, pa.date32()).cast(pa.int32()).to_numpy(zero_copy_only=False)
            return days.astype(np.int32), np.zeros(len(column), dtype=bool)
        except pa.ArrowInvalid:
            pass  # ... but cannot say which row is wrong: find it below
    parsed = pc.strptime(column, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls 2026-02-30 over to March; writing it back exposes that.
    same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), column)
    bad = ~(shaped & to_numpy_bool(same))
    days = pc.fill_null(pc.cast(parsed, pa.date32()), 0).cast(pa.int32()).to_numpy()
    return np.where(bad, 0, days).astype(np.int32), bad


def parse_positive_int(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Whole numbers greater than zero (no sign, no leading zero)."""
    bad = ~matches(column, POSITIVE_INT_PATTERN)
    cleaned = pc.if_else(pa.array(bad), "0", column)
    return pc.cast(cleaned, pa.int64()).to_numpy(), bad


def parse_points(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Volume points with at most two decimals to integer hundredths (not negative)."""
    parts = pc.extract_regex(column, POINTS_PATTERN)
    bad = ~to_numpy_bool(pc.is_valid(parts))
    whole = pc.fill_null(pc.struct_field(parts, "whole"), "0")
    frac = pc.utf8_rpad(pc.fill_null(pc.struct_field(parts, "frac"), ""), POINT_EXPONENT, "0")
    whole_n = pc.cast(whole, pa.int64()).to_numpy()
    frac_n = pc.cast(frac, pa.int64()).to_numpy()
    return whole_n * 10**POINT_EXPONENT + frac_n, bad


def currency_exponents(currencies: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Minor-unit digits of each row's currency, and the mask of invalid currency codes."""
    bad = ~matches(currencies, CURRENCY_PATTERN)
    distinct = pc.unique(currencies).to_pylist()
    exponents = np.array(
        [currency_exponent(c) if _is_currency(c) else 2 for c in distinct], dtype=np.int64
    )
    codes = pc.index_in(currencies, value_set=pa.array(distinct, pa.string()))
    return exponents[codes.to_numpy(zero_copy_only=False).astype(np.int64)], bad


def _is_currency(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and code.isupper() and code.isascii()


def parse_money(column: pa.Array, exponents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Money text with exactly the row's currency digits to minor units (not negative)."""
    good = np.zeros(len(column), dtype=bool)
    for exponent in np.unique(exponents):
        pattern = (
            f"^[0-9]{{1,{_MAX_MONEY_DIGITS}}}$"
            if exponent == 0
            else f"^[0-9]{{1,{_MAX_MONEY_DIGITS}}}\\.[0-9]{{{int(exponent)}}}$"
        )
        good |= (exponents == exponent) & matches(column, pattern)
    digits = pc.if_else(pa.array(good), pc.replace_substring(column, ".", ""), "0")
    return pc.cast(digits, pa.int64()).to_numpy(), ~good

"""Helpers shared by the row checks: reporting, id rules, references between files."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from fairtree.dataset import fields
from fairtree.dataset.arrays import duplicates, lookup
from fairtree.dataset.problems import LineNumbers, Problems

Reason = str | Callable[[int], str]
ID_RULE = "id must be 1-64 characters of A-Z a-z 0-9 - _ ."


def reporter(
    source: str, lines: LineNumbers, problems: Problems
) -> Callable[[np.ndarray, str, Reason], None]:
    def report(bad: np.ndarray, field: str, reason: Reason) -> None:
        problems.rows(source, lines, bad, field, reason)

    return report


def check_ids(column: pa.Array, field: str, lines: LineNumbers, report: Callable) -> None:
    report(fields.bad_id(column), field, ID_RULE)
    first = duplicates(column)
    report(
        first >= 0,
        field,
        lambda i: f"duplicate {field} {column[i].as_py()!r} (first on line {lines(first[[i]])[0]})",
    )


def check_reference(
    column: pa.Array,
    keys: pa.Array,
    field: str,
    what: str,
    report: Callable,
    *,
    optional: bool,
    known: bool = True,
) -> np.ndarray:
    """Row index in ``keys`` of each reference (-1 when empty); unknown ones reported.

    ``known=False`` means the referenced file could not be read: its problem is already
    reported, so every reference to it is not flagged again.
    """
    found = lookup(column, keys)
    present = ~fields.is_empty(column)
    if known:
        report(present & (found < 0), field, lambda i: f"unknown {what} {column[i].as_py()!r}")
    if not optional:
        report(~present, field, f"{field} is empty")
    return np.where(present, found, -1)

"""Collects every problem of a dataset, row by row, without drowning in them.

Each kind of problem (file, field, reason) lists its first ``ROWS_PER_KIND`` rows with
their line numbers, then one summary line with how many more rows have it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fairtree.errors import DatasetError, Problem

ROWS_PER_KIND = 100


class LineNumbers:
    """Maps a data row index of a file to its line in the file (header is line 1)."""

    def __init__(self, resolve: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
        self._resolve = resolve

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        if self._resolve is None:
            return rows + 2
        return self._resolve(rows)


class Problems:
    """Problems found so far; ``raise_if_any`` raises one DatasetError with all of them."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def file(self, source: str, reason: str, location: str = "", field: str = "") -> None:
        self.items.append(Problem(source, location, field, reason))

    def rows(
        self,
        source: str,
        lines: LineNumbers,
        bad: np.ndarray,
        field: str,
        reason: str | Callable[[int], str],
    ) -> None:
        """Report rows where ``bad`` (mask or indices) holds; ``reason`` may depend on the row."""
        index = np.flatnonzero(bad) if bad.dtype == bool else np.asarray(bad, dtype=np.int64)
        if index.size == 0:
            return
        shown = index[:ROWS_PER_KIND]
        for row, line in zip(shown.tolist(), lines(shown).tolist(), strict=True):
            text = reason(row) if callable(reason) else reason
            self.items.append(Problem(source, f"line {line}", field, text))
        more = index.size - shown.size
        if more:
            kind = reason if isinstance(reason, str) else "the same problem"
            self.items.append(Problem(source, "", field, f"{more} more rows: {kind}"))

    def raise_if_any(self) -> None:
        if self.items:
            raise DatasetError(self.items)

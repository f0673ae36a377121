"""Vectorized CSV writing in the dataset's canonical form (docs/dataset.md).

Columns are built as Arrow string arrays (no per-row Python), joined into lines with
``,`` and ``\\n``, and the joined bytes are written straight from the Arrow buffer.
Quoting follows RFC 4180 minimally: only fields with a comma, quote or line break.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.money import currency_exponent

ColumnFormatter = Callable[[slice], pa.Array]
CHUNK_ROWS = 500_000
SMALL_COLUMN = 10_000  # shorter columns are converted directly
VOCABULARY_SAMPLE = 2_000
MAX_VOCABULARY = 64


def text(values: np.ndarray) -> pa.Array:
    """Free text, quoted only where RFC 4180 requires it."""
    array = pa.array(np.asarray(values, dtype=np.str_), type=pa.string())
    needs = pc.match_substring_regex(array, r'[,"\r\n]')
    if not pc.any(needs).as_py():
        return array
    doubled = pc.replace_substring(array, '"', '""')
    quoted = pc.binary_join_element_wise('"', doubled, '"', "")
    return pc.if_else(needs, quoted, array)


def plain(values: np.ndarray) -> pa.Array:
    """Text known to need no quoting (ids, codes, enums)."""
    values = np.asarray(values, dtype=np.str_)
    if values.shape[0] > SMALL_COLUMN:
        coded = _by_vocabulary(values)
        if coded is not None:
            return coded
    return pa.array(values, type=pa.string())


def _by_vocabulary(values: np.ndarray) -> pa.Array | None:
    """A long column of few distinct values, converted once per value (numpy's unicode
    to Arrow conversion is the slow part); None if the column has many distinct values."""
    vocabulary = np.unique(values[:VOCABULARY_SAMPLE])
    codes = np.full(values.shape[0], -1, dtype=np.int32)
    for _ in range(2):
        for code, item in enumerate(vocabulary):
            codes[values == item] = code
        missing = codes < 0
        if not missing.any():
            return pc.take(pa.array(vocabulary, type=pa.string()), pa.array(codes))
        vocabulary = np.concatenate([vocabulary, np.unique(values[missing][:VOCABULARY_SAMPLE])])
        if vocabulary.shape[0] > MAX_VOCABULARY:
            return None
    return None


def integers(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def ids(prefix: str, index: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded ``index + 1``; empty where ``index`` is -1."""
    index = np.asarray(index, dtype=np.int64)
    numbers = pa.array(index + 1, mask=index < 0)
    padded = pc.utf8_lpad(pc.cast(numbers, pa.string()), width, "0")
    return pc.fill_null(pc.binary_join_element_wise(prefix, padded, ""), "")


def dates(values: np.ndarray) -> pa.Array:
    """ISO ``YYYY-MM-DD``."""
    return pc.cast(pa.array(np.asarray(values, dtype="datetime64[D]")), pa.string())


def booleans(values: np.ndarray) -> pa.Array:
    return pa.array(np.where(np.asarray(values, dtype=bool), "true", "false"), type=pa.string())


def fixed_point(units: np.ndarray, exponent: int) -> pa.Array:
    """Integer units of 10**-exponent as a decimal with exactly ``exponent`` digits."""
    units = np.asarray(units, dtype=np.int64)
    if exponent == 0:
        return integers(units)
    negative = units < 0
    magnitude = np.abs(units)
    scale = 10**exponent
    whole = integers(magnitude // scale)
    fraction = pc.utf8_lpad(integers(magnitude % scale), exponent, "0")
    joined = pc.binary_join_element_wise(whole, fraction, ".")
    if negative.any():
        joined = pc.if_else(
            pa.array(negative), pc.binary_join_element_wise("-", joined, ""), joined
        )
    return joined


def money(minor: np.ndarray, currencies: np.ndarray) -> pa.Array:
    """Money in each row's currency with exactly that currency's minor digits."""
    minor = np.asarray(minor, dtype=np.int64)
    currencies = np.asarray(currencies, dtype=np.str_)
    distinct = np.unique(currencies)
    exponents = {code: currency_exponent(str(code)) for code in distinct}
    first = exponents[distinct[0]] if distinct.size else 2
    if all(value == first for value in exponents.values()):
        return fixed_point(minor, first)
    result = fixed_point(minor, first)
    for code, exponent in exponents.items():
        if exponent != first:
            rows = pa.array(currencies == code)
            result = pc.if_else(rows, fixed_point(minor, exponent), result)
    return result


def points(hundredths: np.ndarray) -> pa.Array:
    """Volumes in canonical form: two decimals (``25.00``)."""
    return fixed_point(hundredths, 2)


def _write_lines(out: BinaryIO, columns: Sequence[pa.Array]) -> None:
    rows = pc.binary_join_element_wise(*columns, ",")
    lines = pc.binary_join_element_wise(rows, "", "\n")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    if lines.null_count:
        raise ValueError("a CSV column produced an empty (null) value where text was expected")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    start = offsets[lines.offset]
    stop = offsets[lines.offset + len(lines)]
    out.write(memoryview(lines.buffers()[2])[start:stop])


def write_csv(
    path: Path,
    header: Sequence[str],
    row_count: int,
    formatters: Sequence[ColumnFormatter],
    chunk_rows: int = CHUNK_ROWS,
) -> None:
    """Header, then ``row_count`` rows formatted chunk by chunk; ``\\n`` line ends."""
    if len(header) != len(formatters):
        raise ValueError(f"{path.name}: {len(header)} columns but {len(formatters)} formatters")
    with path.open("wb") as out:
        out.write((",".join(header) + "\n").encode())
        for first in range(0, row_count, chunk_rows):
            rows = slice(first, min(first + chunk_rows, row_count))
            _write_lines(out, [format_column(rows) for format_column in formatters])

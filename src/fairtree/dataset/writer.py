"""Write dataset files in canonical form from columns read back out of the store.

Canonical: money with exactly its currency's minor digits, volumes with two decimals,
booleans ``true``/``false``, dates ``YYYY-MM-DD``, fields quoted only when needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.dataset import schema
from fairtree.dataset.csvio import encode_lines, quote_where_needed, write_header
from fairtree.dataset.fields import currency_exponents
from fairtree.money import POINT_EXPONENT


class Kind(Enum):
    TEXT = "text"
    INT = "int"
    DATE = "date"
    BOOL = "bool"
    POINTS = "points"
    MONEY = "money"  # in the currency named by the row's ``currency_from`` column


# Per file: the kind of each written column, and for money the index of its currency column.
T, N, D, B, P, M = Kind.TEXT, Kind.INT, Kind.DATE, Kind.BOOL, Kind.POINTS, Kind.MONEY
LAYOUTS: dict[str, tuple[tuple[Kind, ...], int | None]] = {
    schema.COMPANY.name: ((T, T, T, T, T, T, N, T), None),
    schema.MEMBERS.name: ((T, T, T, T, D, T, D, T, T, T, B), None),
    schema.CUSTOMERS.name: ((T, T, T, T, D), None),
    schema.PRODUCTS.name: ((T, T, T, T, M, M, P, P, B, T), 3),
    schema.ORDERS.name: ((T, T, D, T, T, T, T, T, T), None),
    # order_lines come with the order's currency as an extra, unwritten last column
    schema.ORDER_LINES.name: ((T, N, T, N, M, P, P), 7),
    schema.PARTIES.name: ((T, T, T, T, D), None),
}


def format_fixed(values: np.ndarray, exponents: np.ndarray) -> pa.Array:
    """Integers in units of 10**-exponent as decimal text with exactly that many digits."""
    values = np.asarray(values, dtype=np.int64)
    magnitude = np.abs(values)
    result: pa.Array | None = None
    for exponent in np.unique(exponents).tolist():
        scale = 10**exponent
        whole = pa.array(magnitude // scale).cast(pa.string())
        if exponent:
            frac = pc.utf8_lpad(pa.array(magnitude % scale).cast(pa.string()), exponent, "0")
            text = pc.binary_join_element_wise(whole, frac, ".")
        else:
            text = whole
        text = pc.if_else(pa.array(values < 0), pc.binary_join_element_wise("-", text, ""), text)
        result = (
            text if result is None else pc.if_else(pa.array(exponents == exponent), text, result)
        )
    return result if result is not None else pa.array([], pa.string())


def _as_text(values: Sequence[object], kind: Kind, exponents: np.ndarray | None) -> pa.Array:
    if kind is Kind.TEXT:
        return quote_where_needed(pc.fill_null(pa.array(values, pa.string()), ""))
    if kind is Kind.INT:
        return pc.fill_null(pa.array(values, pa.int64()).cast(pa.string()), "")
    if kind is Kind.DATE:
        array = pa.array(values)
        if not pa.types.is_string(array.type):
            array = array.cast(pa.date32()).cast(pa.string())
        return array
    if kind is Kind.BOOL:
        flags = pa.array(values).cast(pa.bool_())
        return pc.if_else(flags, "true", "false")
    number = np.asarray(values, dtype=np.int64)
    if kind is Kind.POINTS:
        return format_fixed(number, np.full(number.size, POINT_EXPONENT))
    assert exponents is not None
    return format_fixed(number, exponents)


def encode_chunk(file: str, rows: Sequence[Sequence[object]]) -> pa.Buffer:
    """CSV bytes of ``rows`` (tuples as read from the store) for ``file``."""
    kinds, currency_index = LAYOUTS[file]
    if not rows:
        return pa.py_buffer(b"")
    columns = list(zip(*rows, strict=True))
    exponents = None
    if currency_index is not None:
        exponents, _ = currency_exponents(pa.array(columns[currency_index], pa.string()))
    texts = [_as_text(columns[i], kind, exponents) for i, kind in enumerate(kinds)]
    return encode_lines(texts)


def write_file(
    folder: Path, spec: schema.FileSpec, chunks: Iterable[Sequence[Sequence[object]]]
) -> int:
    """Write ``spec``'s file from chunks of rows; returns how many rows were written."""
    count = 0
    with (folder / spec.name).open("wb") as stream:
        write_header(stream, spec)
        for rows in chunks:
            stream.write(encode_chunk(spec.name, rows))
            count += len(rows)
    return count


def write_encoded_file(
    folder: Path, spec: schema.FileSpec, chunks: Iterable[tuple[bytes, int]]
) -> int:
    """Write ``spec``'s file from chunks of ready CSV bytes (with their row counts)."""
    count = 0
    with (folder / spec.name).open("wb") as stream:
        write_header(stream, spec)
        for data, rows in chunks:
            stream.write(data)
            count += rows
    return count


def write_plan(folder: Path, text: str) -> None:
    (folder / schema.PLAN_FILE).write_bytes(text.encode("utf-8"))


__all__ = ["encode_chunk", "format_fixed", "write_encoded_file", "write_file", "write_plan"]

"""Every flagged member's row as JSON or CSV text, built column by column in Arrow.

A large company flags over a million members; one Python dictionary per flag handed to
``json.dumps`` (or ``csv.writer``) cost seconds. Here each figure column becomes text in
one vectorised step, and each row is the element-wise join of its columns with the
fixed pieces between them. The text is exactly what ``json.dumps(..., ensure_ascii=False)``
and ``csv.writer(lineterminator="\\n")`` write for the same rows (tested): figures are
digits, sign and point only, names are written by those encoders, and the rare member
id that needs escaping or quoting goes through them one by one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.disclosure.compliance import MemberFlags
from fairtree.money import POINT_EXPONENT

_JSON_ESCAPED = r'["\\\x00-\x1f]'  # what json escapes when ensure_ascii is off
_CSV_QUOTED = r'[,"\r\n]'  # may need quoting: csv.writer decides
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these


def minor_text(values: np.ndarray, exponent: int) -> pa.StringArray:
    """Minor units as decimal strings (``-1250, 2 -> "-12.50"``)."""
    values = np.asarray(values, dtype=np.int64)
    magnitude = np.abs(values)
    whole = pc.cast(pa.array(magnitude // 10**exponent), pa.string())
    sign = pc.if_else(pa.array(values < 0), "-", "")
    if exponent == 0:
        return pc.binary_join_element_wise(sign, whole, "")
    fraction = pc.utf8_lpad(pc.cast(pa.array(magnitude % 10**exponent), pa.string()), exponent, "0")
    return pc.binary_join_element_wise(sign, whole, ".", fraction, "")


def figure_texts(flags: MemberFlags, exponent: int) -> dict[str, pa.StringArray]:
    """Each figure column of ``flags`` as text (amounts and points as decimals)."""
    out = {}
    for name, values in flags.figures.items():
        kind = flags.kinds[name]
        if kind == "amount":
            out[name] = minor_text(values, exponent)
        elif kind == "points":
            out[name] = minor_text(values, POINT_EXPONENT)
        else:
            out[name] = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return out


def member_texts(member_ids: np.ndarray) -> pa.StringArray:
    """Member ids as text, as ``numpy.astype(str)`` writes them."""
    if member_ids.dtype == object:
        try:
            return pa.array(member_ids, type=pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    return pa.array(member_ids.astype(str).tolist(), type=pa.string())


def _each(
    texts: pa.StringArray, source: pa.StringArray, pattern: str, encode: Callable[[str], str]
) -> pa.StringArray:
    """``texts`` where each row whose ``source`` matches ``pattern`` (few or none) is
    ``encode(source)`` instead."""
    where = pc.match_substring_regex(source, pattern)
    if not pc.any(where).as_py():
        return texts
    values = texts.to_pylist()
    sources = source.to_pylist()
    for row in np.flatnonzero(where.to_numpy(zero_copy_only=False)).tolist():
        values[row] = encode(sources[row])
    return pa.array(values, type=pa.string())


def _joined(rows: pa.StringArray, separator: str) -> str:
    if len(rows) == 0:
        return ""
    whole = pa.ListArray.from_arrays(pa.array([0, len(rows)], pa.int32()), rows)
    return str(pc.binary_join(whole, separator)[0].as_py())


def json_members(flags: MemberFlags, exponent: int) -> str:
    """The members of one monitor as the inside of a JSON array: ``{"member": id,
    figure: text, ...}`` objects, separated as ``json.dumps`` separates them."""
    ids = member_texts(flags.member_ids)
    plain = pc.binary_join_element_wise('"', ids, '"', "")
    quoted = _each(plain, ids, _JSON_ESCAPED, _json_string)
    parts: list[object] = ['{"member": ', quoted]
    for name, text in figure_texts(flags, exponent).items():
        parts += [f', {json.dumps(name, ensure_ascii=False)}: "', text, '"']
    parts.append("}")
    return _joined(pc.binary_join_element_wise(*parts, ""), ", ")


def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def csv_member_rows(flags: MemberFlags, exponent: int) -> str:
    """The members of one monitor as CSV rows ``scope,monitor,figure,value``, one per
    figure of each member, in member order."""
    ids = member_texts(flags.member_ids)
    first = pc.utf8_slice_codeunits(ids, 0, 1)
    formula = pc.is_in(first, value_set=pa.array(_FORMULA_START, pa.string()))
    scope = pc.if_else(formula, pc.binary_join_element_wise("'", ids, ""), ids)
    scope = _each(scope, scope, _CSV_QUOTED, _csv_field)
    parts: list[object] = []
    for name, text in figure_texts(flags, exponent).items():
        parts += [scope, f",{_csv_field(flags.monitor)},{_csv_field(name)},", text, "\n"]
    if not parts or len(scope) == 0:
        return ""
    return _joined(pc.binary_join_element_wise(*parts, ""), "")


def _csv_field(text: str) -> str:
    """One value as ``csv.writer`` writes it inside a row (quoted only when needed)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text, ""])
    return buffer.getvalue()[:-2]

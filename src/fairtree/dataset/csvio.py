"""CSV in and out, byte-exact: strict headers, located malformed rows, canonical output.

Reading parses every column as text with pyarrow (multi-threaded); writing builds the
lines with Arrow string kernels and writes the resulting buffer in one go.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from fairtree.dataset.problems import LineNumbers, Problems
from fairtree.dataset.schema import FileSpec

_BLOCK_SIZE = 16 << 20
# No field of any dataset file comes near this; a longer line is refused by number
# before parsing (the parser reads in blocks and could not say where it was).
MAX_LINE_BYTES = 1 << 20


def read_csv(
    folder: Path, spec: FileSpec, problems: Problems
) -> tuple[pa.Table, LineNumbers] | None:
    """The file's rows as text columns, or None (with problems noted) when unreadable."""
    path = folder / spec.name
    if not path.is_file():
        if spec.required:
            problems.file(spec.name, "file is missing")
        return None
    data = path.read_bytes()
    present = _header_ok(data, spec, problems)
    if present is None or not _check_bytes(data, spec, problems):
        return None
    if not _lines_short_enough(data, spec, problems):
        return None
    malformed: list[int] = []

    def on_invalid_row(_row: object) -> str:
        malformed.append(1)
        return "skip"

    has_quotes = b'"' in data
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(
                column_names=list(present), skip_rows=1, block_size=_BLOCK_SIZE
            ),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=has_quotes,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid_row,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(present, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        problems.file(spec.name, _describe_unreadable(data, error))
        return None
    table = table.combine_chunks()
    for name in spec.columns[len(present) :]:  # columns the file predates: empty
        table = table.append_column(name, pa.array([""] * table.num_rows, pa.string()))
    width = len(present)
    if not has_quotes and not malformed:
        return table, LineNumbers()
    if malformed:
        _, bad_records = _record_lines(data, width)
        for line, fields in bad_records:
            problems.file(
                spec.name,
                f"malformed line: {fields} fields where {width} columns are expected",
                location=f"line {line}",
            )
        if not bad_records:  # the two parsers disagree: still refuse the file
            problems.file(spec.name, f"{len(malformed)} malformed line(s)")
    if data.count(b'"') % 2:
        problems.file(spec.name, "a quoted field is never closed")
    return table, LineNumbers(_lazy_record_starts(data, width))


def _lazy_record_starts(data: bytes, width: int) -> Callable[[np.ndarray], np.ndarray]:
    """Line numbers of records when quoted fields may span lines, computed on first use
    (only when a problem is reported), so valid files never pay for it."""
    cache: list[np.ndarray] = []

    def resolve(rows: np.ndarray) -> np.ndarray:
        if not cache:
            cache.append(_record_lines(data, width)[0])
        starts = cache[0]
        return starts[np.minimum(rows, len(starts) - 1)]

    return resolve


def _check_bytes(data: bytes, spec: FileSpec, problems: Problems) -> bool:
    """Refuse NUL bytes: no database text column can hold them."""
    at = data.find(b"\x00")
    if at < 0:
        return True
    line = data[:at].count(b"\n") + 1
    problems.file(spec.name, "contains a NUL byte", location=f"line {line}")
    return False


def _lines_short_enough(data: bytes, spec: FileSpec, problems: Problems) -> bool:
    """Refuse a file with a line longer than ``MAX_LINE_BYTES``, naming the first one."""
    if len(data) <= MAX_LINE_BYTES:
        return True
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    bounds = np.concatenate(([-1], ends, [len(data)]))
    lengths = np.diff(bounds) - 1
    long = np.flatnonzero(lengths > MAX_LINE_BYTES)
    if long.size == 0:
        return True
    first = int(long[0])
    problems.file(
        spec.name,
        f"line is {int(lengths[first]):,} bytes long; a line may hold at most "
        f"{MAX_LINE_BYTES:,} bytes",
        location=f"line {first + 1}",
    )
    return False


def _header_ok(data: bytes, spec: FileSpec, problems: Problems) -> tuple[str, ...] | None:
    """The columns the header names (all of the spec's, or all but the ones added
    later), or None with the problems noted."""
    end = data.find(b"\n")
    header = data if end < 0 else data[:end]
    if header.endswith(b"\r"):
        problems.file(spec.name, "lines must end with \\n, not \\r\\n", location="line 1")
        return None
    if header.startswith(b"\xef\xbb\xbf"):
        problems.file(spec.name, "file starts with a byte order mark", location="line 1")
        return None
    try:
        names = header.decode("utf-8").split(",")
    except UnicodeDecodeError:
        problems.file(spec.name, "header is not UTF-8", location="line 1")
        return None
    if tuple(names) in (spec.columns, spec.first_columns):
        return tuple(names)
    expected = set(spec.columns)
    for name in names:
        if name not in expected:
            problems.file(spec.name, f"unknown column {name!r}", location="line 1", field=name)
    for name in spec.first_columns:
        if name not in names:
            problems.file(spec.name, f"missing column {name!r}", location="line 1", field=name)
    if set(names) in (expected, set(spec.first_columns)):
        problems.file(
            spec.name,
            f"columns must be in this order: {','.join(spec.columns)}",
            location="line 1",
        )
    return None


def _record_lines(data: bytes, width: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Start line of each well-formed record, and (line, field count) of malformed ones."""
    text = data.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    next(reader, None)
    starts: list[int] = []
    bad: list[tuple[int, int]] = []
    line = 2
    for record in reader:
        if not record or len(record) == width:
            starts.append(line)
        else:
            bad.append((line, len(record)))
        line = reader.line_num + 1
    return np.array(starts or [2], dtype=np.int64), bad


def _describe_unreadable(data: bytes, error: Exception) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        line = data[: bad.start].count(b"\n") + 1
        return f"line {line} is not valid UTF-8"
    return f"cannot be parsed as CSV: {error}"


# -- writing -----------------------------------------------------------------------------

_NEEDS_QUOTES = '[,"\\n\\r]'


def quote_where_needed(column: pa.Array) -> pa.Array:
    """RFC 4180: quote a field only when it holds a comma, a quote or a line break."""
    needs = pc.match_substring_regex(column, _NEEDS_QUOTES)
    if not pc.any(needs).as_py():
        return column
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, column)


def encode_lines(columns: Sequence[pa.Array]) -> pa.Buffer:
    """The CSV bytes of rows whose fields are the given text columns (already quoted)."""
    if len(columns[0]) == 0:
        return pa.py_buffer(b"")
    lines = pc.binary_join_element_wise(*columns, ",")
    lines = pc.binary_join_element_wise(lines, "", "\n")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    lines = lines.cast(pa.large_string())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    begin, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return lines.buffers()[2].slice(int(begin), int(end - begin))


def write_header(stream: BinaryIO, spec: FileSpec) -> None:
    stream.write((",".join(spec.columns) + "\n").encode("utf-8"))

"""Read a large SELECT from PostgreSQL into numpy columns, without per-row messages.

``COPY ... TO STDOUT`` sends one protocol message per row, and a Python client pays
for each one (about a microsecond: for 5,000,000 orders more than the server spends),
then parses the text again. Here parallel workers turn each row into a fixed-width
binary record (``int8send`` of every integer and of every date as a day number
since 1970-01-01; the record is computed in a subquery kept apart with
``OFFSET 0``, so it runs below the Gather node) and ``string_agg`` joins the records
into one ``bytea`` per chunk of ids, which numpy reads in place. Workers also sort
their share by id (Gather Merge), which costs them less than reordering the columns
costs the client. Text columns travel
beside it as ``\n``-joined text in the same row order. Every column must be non-null
(the caller's SELECT uses COALESCE) and text must hold no newline; a count that does
not add up is an error, never a silent shift.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import psycopg
from psycopg import pq

INT, TEXT, DATE = "int", "text", "date"
CHUNK_IDS = 1 << 23  # ids per value: 8M records of 11 numbers stay below the 1 GB limit
# Parallel workers pay off for these scans; the planner's defaults assume that moving
# a row from a worker costs more than encoding it, and JIT compiling costs more than
# it saves on a single pass.
# Each worker sorts its share in memory rather than in temporary files.
_PLANNER = {
    "parallel_setup_cost": "0",
    "parallel_tuple_cost": "0",
    "jit": "off",
    "work_mem": "512MB",
}
# Every number travels as 8 big-endian bytes, so a chunk is one (rows x numbers) array.
_BINARY = {INT: "int8send({}::int8)", DATE: "int8send(({} - DATE '1970-01-01')::int8)"}


@contextmanager
def _parallel_planner(cursor: Any) -> Iterator[None]:
    """Planner settings for this transaction's bulk reads, restored afterwards (a failed
    statement aborts the transaction, which drops them anyway). One statement each way."""
    names = list(_PLANNER)
    reads = ", ".join("current_setting(%s)" for _ in names)
    cursor.execute(f"SELECT {reads}", names)
    before = dict(zip(names, cursor.fetchone(), strict=True))
    _set(cursor, _PLANNER)
    yield
    _set(cursor, before)


def _set(cursor: Any, settings: dict[str, str]) -> None:
    calls = ", ".join("set_config(%s, %s, true)" for _ in settings)
    cursor.execute(f"SELECT {calls}", [x for pair in settings.items() for x in pair])


def _query(sql: str, schema: dict[str, str]) -> tuple[str, list[str], list[str]]:
    numbers = [name for name, kind in schema.items() if kind != TEXT]
    texts = [name for name, kind in schema.items() if kind == TEXT]
    record = " || ".join(_BINARY[schema[name]].format(f"q.{name}") for name in numbers)
    inner = ", ".join([f"{record} AS record", *(f"q.{name} AS {name}" for name in texts)])
    outer = ", ".join(
        ["string_agg(record, ''::bytea)", *(f"string_agg({name}, E'\\n')" for name in texts)]
    )
    query = (
        f"SELECT count(*), {outer} FROM (SELECT {inner} FROM ({sql}) AS q"  # noqa: S608
        " WHERE q.id >= {start} AND q.id < {stop} ORDER BY q.id OFFSET 0) AS rows"
    )
    return query, numbers, texts


def read_columns(raw: Any, sql: str, schema: dict[str, str], table: str) -> dict[str, np.ndarray]:
    """``sql``'s rows as numpy columns (int64, datetime64[D], object), by ``id``.

    ``sql`` must name its columns as ``schema`` does, including ``id``: the ids of
    ``table`` that the chunks split on.
    """
    query, numbers, texts = _query(sql, schema)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in schema}
    with raw.cursor(binary=True) as cursor, _parallel_planner(cursor):
        cursor.execute(f"SELECT min(id), max(id) FROM {table}")  # noqa: S608 - our name
        low, high = cursor.fetchone()
        for start in range(low or 0, (high or -1) + 1, CHUNK_IDS):
            cursor.execute(query.format(start=int(start), stop=int(start) + CHUNK_IDS))
            count, records, *joined = cursor.fetchone()
            if not count:
                continue
            grid = np.frombuffer(records, dtype=">i8").astype(np.int64)
            grid = grid.reshape(-1, len(numbers)).T
            for name, column in zip(numbers, grid, strict=True):
                parts[name].append(column)
            for name, text in zip(texts, joined, strict=True):
                lines = [] if text is None else text.split("\n")  # None: every value null
                parts[name].append(np.array(lines, dtype=object))
            lengths = {name: len(column[-1]) for name, column in parts.items()}
            if set(lengths.values()) != {count}:
                raise ValueError(
                    f"{table}: {count} rows but columns of {lengths} (null or newline)"
                )
    return {name: _joined(columns, schema[name]) for name, columns in parts.items()}


def _joined(columns: list[np.ndarray], kind: str) -> np.ndarray:
    if kind == TEXT:
        return columns[0] if len(columns) == 1 else np.concatenate([np.zeros(0, object), *columns])
    whole = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    return whole.astype("datetime64[D]") if kind == DATE else whole


def copy_out(raw: Any, sql: str) -> bytes:
    """``COPY (sql) TO STDOUT (FORMAT csv)`` as one bytes value.

    Reads libpq's row messages in a tight loop on the connection's ``pgconn`` (psycopg's
    public libpq wrapper) rather than through ``Cursor.copy``, whose per-row generator
    machinery costs the client about twice as much CPU per row.
    """
    pgconn = raw.pgconn
    pgconn.send_query(f"COPY ({sql}) TO STDOUT (FORMAT csv)".encode())
    started = pgconn.get_result()
    if started.status != pq.ExecStatus.COPY_OUT:
        _drain(pgconn)
        raise _error(started)
    chunks: list[bytes] = []
    append, get = chunks.append, pgconn.get_copy_data
    while True:
        size, data = get(0)
        if size < 0:
            break
        append(bytes(data))
    finished = pgconn.get_result()
    _drain(pgconn)
    if finished.status != pq.ExecStatus.COMMAND_OK:
        raise _error(finished)
    return b"".join(chunks)


def _drain(pgconn: Any) -> None:
    while pgconn.get_result() is not None:
        pass


def _error(result: Any) -> Exception:
    return psycopg.errors.error_from_result(result)

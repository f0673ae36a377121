"""Read a large SELECT from PostgreSQL into numpy columns, without per-row messages.

``COPY ... TO STDOUT`` sends one protocol message per row, and a Python client pays
for each one, then parses the text again. Here the server turns each row into a
fixed-width binary record and ``string_agg`` joins the records into one ``bytea`` per
unit of work, which numpy reads in place. A record is a row of big-endian 64-bit words:
an ``int`` column fills one word (``int8send``); ``int32`` and ``date`` columns (keys,
codes and day numbers since 1970-01-01) go two to a word by shifts the server compiles,
instead of an ``int8send`` and a concatenation each. Text columns travel beside the
records as ``\\n``-joined text in the same row order. Every column must be non-null (the
caller's SELECT uses COALESCE) and text must hold no newline; a count that does not add
up is an error, never a silent shift. An ``int32`` value out of range fails the
server's cast, never wraps.

A unit is a range of ``UNIT_IDS`` ids between the bounds the caller's query finds, so
each value stays small (16 MB at most for eight words a row): client and server reuse
the same memory unit after unit instead of faulting in a new block the size of the
whole result. Large reads run the units on ``bulk_read_connections()`` connections at
once, each in a REPEATABLE READ transaction that imports the caller's snapshot
(``pg_export_snapshot``), so they see exactly what the caller's transaction sees; each
connection's backend works on its own core, where a parallel plan's single leader would
join every row alone. That equals the caller's view only when the caller's transaction
has not itself written the tables the SELECT reads (``pg_stat_xact_user_tables``);
otherwise, and for small reads, the units run on the caller's connection. See
docs/decisions/0006-parallel-snapshot-reads.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
from psycopg import pq, sql
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from fairtree.store.database import driver_connection
from fairtree.store.repositories.bulk.id_order import rows_by_id

INT, INT32, TEXT, DATE = "int", "int32", "text", "date"
UNIT_IDS = 1 << 18  # ids per unit of work: 16 MB of records at eight words a row
UNIT_LOW, UNIT_HIGH = ":unit_low", ":unit_high"  # the markers a branch restricts ids with
_PARTS_SETTING = "FAIRTREE_BULK_READ_CONNECTIONS"
_SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+-[0-9]+$")
_LOW_32 = 4294967295


@dataclass(frozen=True)
class _Layout:
    """How a schema's columns sit in a record: the words (one column filling a word, or
    two halves, high then low), and the text columns."""

    words: list[tuple[str, ...]]
    texts: list[str]
    schema: dict[str, str]
    narrow: bool  # ``int`` columns travel as 32-bit halves too

    def record_sql(self) -> str:
        return " || ".join(self._word_sql(word) for word in self.words)

    def whole(self, word: tuple[str, ...]) -> bool:
        return len(word) == 1 and self.schema[word[0]] == INT and not self.narrow

    def _word_sql(self, word: tuple[str, ...]) -> str:
        if self.whole(word):
            return f"int8send(q.{word[0]}::int8)"
        high = f"({self._half_sql(word[0])} << 32)"
        if len(word) == 1:
            return f"int8send{high}"
        return f"int8send({high} | ({self._half_sql(word[1])} & {_LOW_32}))"

    def _half_sql(self, name: str) -> str:
        if self.schema[name] == DATE:
            return f"(q.{name} - DATE '1970-01-01')::int8"
        return f"q.{name}::int4::int8"  # out of range: the server's error, never a wrap


def _layout(schema: dict[str, str], narrow: bool) -> _Layout:
    """The record layout; ``narrow`` sends ``int`` columns as halves as well (money and
    volumes of one order fit 32 bits all but always; a read that meets one that does not
    is read again wide)."""
    words: list[tuple[str, ...]] = []
    halves: list[str] = []
    for name, kind in schema.items():
        if kind not in (INT, INT32, DATE, TEXT):
            raise ValueError(f"column {name}: unknown kind {kind!r}")
        if kind == INT and not narrow:
            words.append((name,))
        elif kind != TEXT:
            halves.append(name)
    words += [tuple(halves[i : i + 2]) for i in range(0, len(halves), 2)]
    texts = [name for name, kind in schema.items() if kind == TEXT]
    return _Layout(words, texts, schema, narrow)


def _unit_query(branch: str, layout: _Layout) -> str:
    """One unit's SELECT, with ``UNIT_LOW`` and ``UNIT_HIGH`` still to fill in."""
    inner = ", ".join(
        [f"{layout.record_sql()} AS record", *(f"q.{name} AS {name}" for name in layout.texts)]
    )
    outer = ", ".join(
        [
            "string_agg(record, ''::bytea)",
            *(f"string_agg({name}, E'\\n')" for name in layout.texts),
        ]
    )
    return (
        f"SELECT count(*), {outer} FROM (SELECT {inner} FROM ({branch}) AS q"  # noqa: S608
        f" WHERE q.id >= {UNIT_LOW} AND q.id < {UNIT_HIGH}) AS rows"
    )


def bulk_read_connections() -> int:
    """Connections a large read uses at once (``FAIRTREE_BULK_READ_CONNECTIONS``, default
    2: one per core of a small database server)."""
    value = os.environ.get(_PARTS_SETTING, "2")
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{_PARTS_SETTING} must be a whole number of at least 1, not {value!r}")
    return int(value)


def read_columns(
    session: Session,
    branch: str,
    schema: dict[str, str],
    bounds_sql: str,
    reads: Sequence[str],
) -> dict[str, np.ndarray]:
    """The rows of ``branch`` as numpy columns (int64, datetime64[D], object), by id.

    ``branch`` names its columns as ``schema`` does, including a unique ``id``, and
    restricts the ids it reads to ``id >= :unit_low AND id < :unit_high`` wherever that
    lets the server skip work (on every table of a join); ``bounds_sql`` returns the
    lowest and highest id it can return (NULLs when none). ``reads`` names every table
    it reads: if the caller's transaction has written one of them, side connections
    would not see those rows, so the read stays on the caller's connection.
    """
    raw = driver_connection(session)
    with raw.cursor() as cursor:
        cursor.execute(bounds_sql)
        low, high = cursor.fetchone()
    if low is None:
        return {name: empty_column(kind) for name, kind in schema.items()}
    starts = range(int(low), int(high) + 1, UNIT_IDS)
    # A single unit runs here: side connections and their snapshot import cost more.
    parts = min(bulk_read_connections(), len(starts))
    shared = parts > 1 and _snapshot_shareable(raw, reads)
    for narrow in (True, False):
        layout = _layout(schema, narrow)
        query = _unit_query(branch, layout)
        units = [
            query.replace(UNIT_LOW, str(start)).replace(UNIT_HIGH, str(start + UNIT_IDS))
            for start in starts
        ]
        try:
            if shared:
                results = _run_on_side_connections(session, raw, units, parts)
            else:
                results = _run_here(raw, units)
        except psycopg.errors.NumericValueOutOfRange:
            if not narrow or not any(kind == INT for kind in schema.values()):
                raise
            continue  # a value beyond 32 bits: read it again, every int a whole word
        return _columns(results, layout, reads[0])
    raise AssertionError("unreachable: the wide read returns or raises")


def _run_here(raw: Any, units: list[str]) -> list[tuple[Any, ...]]:
    """Run ``units`` on the caller's connection, inside a savepoint: a refused narrow
    read leaves the caller's transaction as it was."""
    with raw.cursor(binary=True) as cursor:
        cursor.execute("SAVEPOINT fairtree_bulk_read")
        try:
            results = [_fetch(cursor, unit) for unit in units]
        except psycopg.Error:
            cursor.execute("ROLLBACK TO SAVEPOINT fairtree_bulk_read")
            raise
        finally:
            cursor.execute("RELEASE SAVEPOINT fairtree_bulk_read")
    return results


def _snapshot_shareable(raw: Any, reads: Sequence[str]) -> bool:
    """True when a side connection on this transaction's snapshot sees what it sees.

    A transaction without a transaction id has written nothing. One with an id (a write,
    or only a row lock such as the close's lock on the company) must have written none of
    ``reads``: ``pg_stat_xact_user_tables`` counts its writes (and may count this
    backend's earlier writes not yet flushed to the statistics, which only sends the read
    to the caller's connection, never the other way).
    """
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_xact_id_if_assigned() IS NULL,"
            " current_setting('track_counts') = 'on',"
            " COALESCE(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
            [list(reads)],
        )
        untouched, counting, written = cursor.fetchone()
    return bool(untouched) or (bool(counting) and int(written) == 0)


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _side_engine(engine: Engine) -> Engine:
    """An engine without a pool for the side connections: they are opened for one read
    and closed after it, never taken from the pool the caller's process serves requests
    from (a close in an API process must not starve the pages)."""
    return create_engine(engine.url, poolclass=NullPool)


def _run_on_side_connections(
    session: Session, raw: Any, units: list[str], parts: int
) -> list[tuple[Any, ...]]:
    """Run ``units`` on ``parts`` new connections sharing this transaction's snapshot,
    unit ``i`` on connection ``i % parts``; results in unit order."""
    with raw.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
    if not _SNAPSHOT_ID.match(snapshot):
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    engine = _side_engine(_engine(session))
    shares = [units[part::parts] for part in range(parts)]
    try:
        with ThreadPoolExecutor(max_workers=parts) as pool:
            done = list(pool.map(lambda share: _run_share(engine, snapshot, share), shares))
    finally:
        engine.dispose()
    return [done[unit % parts][unit // parts] for unit in range(len(units))]


def _run_share(engine: Engine, snapshot: str, units: list[str]) -> list[tuple[Any, ...]]:
    """Run ``units`` one after another on a new connection that imports ``snapshot``."""
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as connection:
        raw: Any = connection.connection.driver_connection
        raw.rollback()  # whatever the pool ran on checkout: the import must come first
        try:
            with raw.cursor(binary=True) as cursor:
                cursor.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
                # The connections are the parallelism: a parallel plan would only crowd
                # the same cores.
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                return [_fetch(cursor, unit) for unit in units]
        finally:
            raw.rollback()


def _fetch(cursor: Any, unit: str) -> tuple[Any, ...]:
    cursor.execute(unit)
    row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def _columns(results: list[tuple[Any, ...]], layout: _Layout, what: str) -> dict[str, np.ndarray]:
    """Every unit's records decoded into one preallocated array per column, in unit
    order; sorted by id afterwards only if a unit came back out of id order."""
    total = sum(int(result[0]) for result in results)
    numeric = [name for name, kind in layout.schema.items() if kind != TEXT]
    numbers = {name: np.empty(total, dtype=np.int64) for name in numeric}
    lines: dict[str, list[str]] = {name: [] for name in layout.texts}
    at = 0
    for count, records, *joined in results:
        if not count:
            continue
        grid = _grid(count, records, len(layout.words), what)
        rows = slice(at, at + count)
        for index, word in enumerate(layout.words):
            targets = [numbers[name][rows] for name in word]
            _decode(grid[:, index], targets, layout.whole(word))
        for name, text in zip(layout.texts, joined, strict=True):
            split = [] if text is None else text.split("\n")  # None: every value null
            if len(split) != count:
                raise ValueError(f"{what}: {count} rows but {len(split)} {name} (null or newline)")
            lines[name] += split
        at += count
    columns: dict[str, np.ndarray] = {}
    for name, kind in layout.schema.items():
        if kind == TEXT:
            columns[name] = np.array(lines[name], dtype=object)
        else:
            columns[name] = numbers[name].view("datetime64[D]") if kind == DATE else numbers[name]
    return rows_by_id(columns)


def _grid(count: int, records: bytes | None, width: int, what: str) -> np.ndarray:
    """One unit's records as a (rows x words) big-endian view."""
    words = np.frombuffer(records or b"", dtype=">i8")
    if words.size != count * width:
        raise ValueError(f"{what}: {count} rows but {words.size} words (a null number)")
    return words.reshape(count, width)


def _decode(word: np.ndarray, targets: list[np.ndarray], whole: bool) -> None:
    """A column of big-endian words into its int target (``whole``) or its halves."""
    if whole:
        targets[0][...] = word
        return
    np.right_shift(word, 32, out=targets[0])  # arithmetic shift: the sign comes back
    if len(targets) == 2:
        low = targets[1]
        np.bitwise_and(word, _LOW_32, out=low)
        low ^= 0x80000000
        low -= 0x80000000


def empty_column(kind: str) -> np.ndarray:
    if kind == TEXT:
        return np.zeros(0, dtype=object)
    if kind == DATE:
        return np.zeros(0, dtype="datetime64[D]")
    return np.zeros(0, dtype=np.int64)


def copy_out(raw: Any, sql_text: str) -> bytes:
    """``COPY (sql) TO STDOUT (FORMAT csv)`` as one bytes value, for small reads.

    Reads libpq's row messages in a tight loop on the connection's ``pgconn`` (psycopg's
    public libpq wrapper) rather than through ``Cursor.copy``, whose per-row generator
    machinery costs the client about twice as much CPU per row.
    """
    pgconn = raw.pgconn
    pgconn.send_query(f"COPY ({sql_text}) TO STDOUT (FORMAT csv)".encode())
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

"""Set-based loading of whole tables: executemany on SQLite, COPY on PostgreSQL.

Used by the dataset import. Rows arrive as column arrays (see fairtree.dataset.arrays.Rows)
with their primary keys already assigned, so references between tables need no lookups.
Runs inside the caller's transaction and never commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Index, func, select, text
from sqlalchemy.orm import Session

from fairtree.dataset.arrays import Rows
from fairtree.dataset.csvio import encode_lines
from fairtree.store.database import driver_connection as _driver_connection
from fairtree.store.models import Base, Company, Member

CHUNK_ROWS = 250_000
Progress = Callable[[str, int], None]


def database_is_empty(session: Session) -> bool:
    """True when the database holds no company and no member yet."""
    has_company = session.scalar(select(func.count()).select_from(Company)) or 0
    has_members = session.scalar(select(func.count()).select_from(Member)) or 0
    return has_company == 0 and has_members == 0


def _python_column(column: np.ndarray | pa.Array) -> list[Any]:
    if isinstance(column, np.ndarray):
        return column.tolist()
    return column.to_pylist()


def _slice(column: np.ndarray | pa.Array, start: int, stop: int) -> np.ndarray | pa.Array:
    return (
        column[start:stop] if isinstance(column, np.ndarray) else column.slice(start, stop - start)
    )


def defer_sqlite_foreign_keys(session: Session) -> None:
    """Check foreign keys at commit, not per row: a member's sponsor may come later."""
    _driver_connection(session).execute("PRAGMA defer_foreign_keys = ON")


@contextmanager
def sqlite_large_cache(session: Session) -> Iterator[None]:
    """A 256 MB page cache while inserting (unique indexes stay in memory).

    Measured: the same cache makes CREATE INDEX several times slower, so it is reset
    before the secondary indexes are built.
    """
    connection = _driver_connection(session)
    (default,) = connection.execute("PRAGMA cache_size").fetchone()
    connection.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA cache_size = {int(default)}")


def insert_rows(session: Session, rows: Rows, progress: Progress | None = None) -> None:
    """Insert every row of ``rows`` into its table."""
    if len(rows) == 0:
        return
    if session.get_bind().dialect.name == "postgresql":
        _copy_rows(session, rows, progress)
    else:
        _executemany_rows(session, rows, progress)


ROWS_PER_STATEMENT = 50  # multi-row VALUES: measured about a third faster than one row


def _executemany_rows(session: Session, rows: Rows, progress: Progress | None) -> None:
    names = list(rows.columns)
    width = len(names)
    one_row = f"({', '.join('?' for _ in names)})"
    insert = f"INSERT INTO {rows.table} ({', '.join(names)}) VALUES "  # noqa: S608 - our names
    many_rows_sql = insert + ", ".join([one_row] * ROWS_PER_STATEMENT)
    cursor = _driver_connection(session).cursor()
    total = len(rows)
    for start in range(0, total, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, total)
        columns = [_python_column(_slice(rows.columns[n], start, stop)) for n in names]
        whole = (stop - start) // ROWS_PER_STATEMENT * ROWS_PER_STATEMENT
        if whole:
            flat: list[Any] = [None] * (whole * width)
            for position, column in enumerate(columns):
                flat[position::width] = column[:whole]
            groups = zip(*[iter(flat)] * (width * ROWS_PER_STATEMENT), strict=True)
            cursor.executemany(many_rows_sql, groups)
        rest = zip(*[column[whole:] for column in columns], strict=True)
        cursor.executemany(insert + one_row, rest)
        if progress:
            progress(rows.table, stop - start)
    cursor.close()


_PG_NULL = "\\N"


def _copy_text(column: np.ndarray | pa.Array) -> pa.Array:
    """One column as PostgreSQL CSV COPY text: quoted when needed, ``\\N`` for null."""
    array = pa.array(column) if isinstance(column, np.ndarray) else column
    if pa.types.is_boolean(array.type):
        array = pc.if_else(array, "t", "f")
    elif not pa.types.is_string(array.type):
        array = array.cast(pa.string())
    needs = pc.fill_null(pc.match_substring_regex(array, '[,"\\n\\r]|^\\\\N$'), False)
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(array, '"', '""'), '"', "")
    return pc.fill_null(pc.if_else(needs, quoted, array), _PG_NULL)


def _copy_rows(session: Session, rows: Rows, progress: Progress | None) -> None:
    names = list(rows.columns)
    sql = f"COPY {rows.table} ({', '.join(names)}) FROM STDIN (FORMAT csv, NULL '{_PG_NULL}')"
    cursor = _driver_connection(session).cursor()
    total = len(rows)
    with cursor.copy(sql) as copy:
        for start in range(0, total, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, total)
            texts = [_copy_text(_slice(rows.columns[n], start, stop)) for n in names]
            copy.write(encode_lines(texts))
            if progress:
                progress(rows.table, stop - start)
    cursor.close()


# A member whose status (not active) began after they joined was active until then.
_OPEN_HISTORY = """
INSERT INTO genealogy_history (member_id, sponsor_id, placement_parent_id,
    placement_position, valid_from, valid_to, status, reason, actor)
SELECT id, sponsor_id, placement_parent_id, placement_position, joined_on,
       CASE WHEN status <> 'active' AND status_since > joined_on THEN status_since END,
       CASE WHEN status <> 'active' AND status_since > joined_on THEN 'active'
            ELSE status END,
       :reason, :actor
FROM members ORDER BY id
"""
_OPEN_LATER_STATUS = """
INSERT INTO genealogy_history (member_id, sponsor_id, placement_parent_id,
    placement_position, valid_from, valid_to, status, reason, actor)
SELECT id, sponsor_id, placement_parent_id, placement_position, status_since, NULL, status,
       :reason, :actor
FROM members WHERE status <> 'active' AND status_since > joined_on ORDER BY id
"""


def open_history_for_all_members(session: Session, reason: str, actor: str) -> None:
    """The genealogy history of freshly loaded members, from the day each joined.

    One row per member with their status; a member whose status (inactive, terminated,
    closed) began after they joined gets two: active until ``status_since``, then the
    status, so a close of an earlier period sees them as they were then.
    """
    params = {"reason": reason, "actor": actor}
    session.execute(text(_OPEN_HISTORY), params)
    session.execute(text(_OPEN_LATER_STATUS), params)


def advance_id_sequences(session: Session, tables: list[str]) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        )


def _serves_self_reference(index: Index) -> bool:
    """An index on a column referencing its own table (sponsor, reversed order) stays.

    With foreign keys checked at commit, inserting a parent while a child still points
    ahead makes SQLite look up that parent's children; without this index that is a
    full scan per row, and a file listing members before their sponsors goes quadratic.
    """
    first = next(iter(index.columns), None)
    return first is not None and any(key.column.table is index.table for key in first.foreign_keys)


@contextmanager
def secondary_indexes_built_after(session: Session, tables: list[str]) -> Iterator[None]:
    """Drop the non-unique indexes of ``tables`` and build them again after the load.

    Sorting once at the end is much cheaper than keeping a B-tree in order through
    millions of random inserts. The DDL is part of the caller's transaction, so a failed
    import rolls the indexes back with everything else.
    """
    connection = session.connection()
    indexes = [
        index
        for table in Base.metadata.sorted_tables
        if table.name in tables
        for index in table.indexes
        if not index.unique and not _serves_self_reference(index)
    ]
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)

"""The PostgreSQL bulk read path: rows encoded by the server into binary records (and
joined text) per unit of ids come back exactly and in id order, however many units it
takes and whether the units run on the caller's connection or on side connections that
share its snapshot; a null, a newline or an out-of-range key is refused, never a
shifted column."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from fairtree.store.repositories.bulk import engine_arrays
from fairtree.store.repositories.bulk import pg_read as pg_bulk_read
from fairtree.store.repositories.bulk.engine_arrays import BulkSelect

pytestmark = pytest.mark.postgres

SCHEMA = {"id": "int32", "name": "text", "day": "date", "amount": "int", "code": "int32"}
ROWS = [
    (1, "plain", date(2026, 3, 1), 0, -1),
    (2, "with, comma", date(1969, 12, 31), -5, -(2**31)),  # before the epoch: negative
    (5, 'say "hi"', date(2026, 2, 28), 2**40, 2**31 - 1),
    (9, "", date(2000, 1, 1), 7, 0),
    (10, "naïve ünïcode", date(2026, 3, 31), -(2**40), 3),
    (13, "last", date(1900, 1, 1), 2**62, -7),
]
PROBE = BulkSelect(
    sql="SELECT id, name, day, amount, code FROM bulk_probe"
    " WHERE id <> :skip AND id < :below AND id >= :unit_low AND id < :unit_high",
    bounds="SELECT min(id), max(id) FROM bulk_probe",
    reads=("bulk_probe",),
)


def _fill(connection: Any, temporary: bool) -> None:
    kind = "TEMP TABLE" if temporary else "TABLE"
    connection.execute(
        text(f"CREATE {kind} bulk_probe (id int, name text, day date, amount bigint, code int)")
    )
    # Inserted in reverse, so a read in the table's own order is out of id order.
    for row in reversed(ROWS):
        connection.execute(
            text("INSERT INTO bulk_probe VALUES (:id, :name, :day, :amount, :code)"),
            dict(zip(SCHEMA, row, strict=True)),
        )


def _rows(cols: dict[str, Any]) -> list[tuple[Any, ...]]:
    return list(
        zip(
            cols["id"].tolist(),
            cols["name"].tolist(),
            cols["day"].astype(object).tolist(),
            cols["amount"].tolist(),
            cols["code"].tolist(),
            strict=True,
        )
    )


@pytest.fixture
def side_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many units each read sent to side connections (0 entries: none did)."""
    calls: list[int] = []
    real = pg_bulk_read._run_on_side_connections

    def spy(session: Session, raw: Any, units: list[str], parts: int) -> Any:
        calls.append(len(units))
        return real(session, raw, units, parts)

    monkeypatch.setattr(pg_bulk_read, "_run_on_side_connections", spy)
    return calls


@pytest.fixture
def committed_probe(committing_engine: Engine) -> Iterator[Engine]:
    with committing_engine.begin() as connection:
        _fill(connection, temporary=False)
    committing_engine.dispose()  # a new backend: no unflushed write counts of the fill
    try:
        yield committing_engine
    finally:
        with committing_engine.begin() as connection:
            connection.execute(text("DROP TABLE bulk_probe"))


@pytest.mark.parametrize("unit_ids", [pg_bulk_read.UNIT_IDS, 3, 1])
def test_rows_come_back_exactly_in_id_order_in_any_number_of_units(
    session: Session, monkeypatch: pytest.MonkeyPatch, side_reads: list[int], unit_ids: int
) -> None:
    _fill(session, temporary=True)
    monkeypatch.setattr(pg_bulk_read, "UNIT_IDS", unit_ids)
    cols = engine_arrays.read_bulk(session, PROBE, {"skip": 9, "below": 100}, SCHEMA)
    assert _rows(cols) == [row for row in ROWS if row[0] != 9]
    assert side_reads == []  # this transaction wrote the table: only it can read it


@pytest.mark.parametrize("connections", ["2", "3"])
def test_side_connections_read_the_committed_rows_exactly(
    committed_probe: Engine,
    monkeypatch: pytest.MonkeyPatch,
    side_reads: list[int],
    connections: str,
) -> None:
    monkeypatch.setattr(pg_bulk_read, "UNIT_IDS", 2)
    monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", connections)
    with Session(committed_probe) as session, session.begin():
        cols = engine_arrays.read_bulk(session, PROBE, {"skip": 9, "below": 100}, SCHEMA)
    assert _rows(cols) == [row for row in ROWS if row[0] != 9]
    # ids 1..13 in units of 2, read twice: 32-bit halves first, refused by 2**40, then whole
    assert side_reads == [7, 7]


def test_side_connections_see_the_callers_snapshot_not_later_commits(
    committed_probe: Engine, monkeypatch: pytest.MonkeyPatch, side_reads: list[int]
) -> None:
    monkeypatch.setattr(pg_bulk_read, "UNIT_IDS", 4)
    with committed_probe.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        session = Session(bind=connection)
        with session.begin():
            session.execute(text("SELECT count(*) FROM bulk_probe")).scalar()  # snapshot taken
            with committed_probe.begin() as other:
                other.execute(
                    text("INSERT INTO bulk_probe VALUES (11, 'late', '2026-03-02', 1, 1)")
                )
            cols = engine_arrays.read_bulk(session, PROBE, {"skip": 9, "below": 100}, SCHEMA)
        session.close()
    assert 11 not in cols["id"].tolist()
    assert _rows(cols) == [row for row in ROWS if row[0] != 9]
    assert side_reads == [4, 4]


@pytest.mark.parametrize("where", ["on side connections", "on the caller's connection"])
def test_amounts_beyond_32_bits_are_read_again_in_whole_words(
    committed_probe: Engine, monkeypatch: pytest.MonkeyPatch, side_reads: list[int], where: str
) -> None:
    monkeypatch.setattr(pg_bulk_read, "UNIT_IDS", 4)
    if where != "on side connections":
        monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", "1")
    with Session(committed_probe) as session, session.begin():
        narrow = engine_arrays.read_bulk(session, PROBE, {"skip": 0, "below": 5}, SCHEMA)
        sent_narrow = list(side_reads)
        wide = engine_arrays.read_bulk(session, PROBE, {"skip": 123, "below": 100}, SCHEMA)
        # the refused narrow read left the caller's transaction usable
        assert session.execute(text("SELECT count(*) FROM bulk_probe")).scalar() == 6
    assert _rows(narrow) == ROWS[:2]  # amounts that fit 32 bits
    assert _rows(wide) == ROWS
    if where == "on side connections":
        assert sent_narrow == [4]  # one pass, every number in halves
        assert side_reads == [4, 4, 4]  # then halves refused, whole words read
    else:
        assert side_reads == []


def test_a_transaction_that_wrote_the_table_reads_its_own_rows(
    committed_probe: Engine, monkeypatch: pytest.MonkeyPatch, side_reads: list[int]
) -> None:
    monkeypatch.setattr(pg_bulk_read, "UNIT_IDS", 2)
    with Session(committed_probe) as session, session.begin():
        session.execute(text("INSERT INTO bulk_probe VALUES (12, 'mine', '2026-03-03', 2, 2)"))
        cols = engine_arrays.read_bulk(session, PROBE, {"skip": 9, "below": 100}, SCHEMA)
        session.rollback()
    assert 12 in cols["id"].tolist()
    assert side_reads == []


def test_an_empty_result_gives_empty_columns(session: Session) -> None:
    _fill(session, temporary=True)
    cols = engine_arrays.read_bulk(session, PROBE, {"skip": 123, "below": 100}, SCHEMA)
    assert len(cols["id"]) == 6
    session.execute(text("DELETE FROM bulk_probe"))
    cols = engine_arrays.read_bulk(session, PROBE, {"skip": 9, "below": 100}, SCHEMA)
    assert {name: len(column) for name, column in cols.items()} == dict.fromkeys(SCHEMA, 0)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("amount", None, "bulk_probe: 6 rows but 15 words"),
        ("code", None, "bulk_probe: 6 rows but 15 words"),
        ("name", None, "bulk_probe: 6 rows but 5 name"),
        ("name", "two\nlines", "bulk_probe: 6 rows but 7 name"),
    ],
)
def test_a_null_or_a_newline_is_refused(
    session: Session, column: str, value: object, message: str
) -> None:
    _fill(session, temporary=True)
    session.execute(text(f"UPDATE bulk_probe SET {column} = :value WHERE id = 5"), {"value": value})
    with pytest.raises(ValueError, match=message):
        engine_arrays.read_bulk(session, PROBE, {"skip": 123, "below": 100}, SCHEMA)


def test_a_key_beyond_32_bits_is_refused_not_wrapped(session: Session) -> None:
    _fill(session, temporary=True)
    session.execute(text("ALTER TABLE bulk_probe ALTER COLUMN code TYPE bigint"))
    session.execute(text("UPDATE bulk_probe SET code = 4294967296 WHERE id = 5"))
    with pytest.raises(psycopg.errors.NumericValueOutOfRange, match="integer out of range"):
        engine_arrays.read_bulk(session, PROBE, {"skip": 123, "below": 100}, SCHEMA)


def test_the_connection_setting_must_be_a_positive_whole_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", "0")
    with pytest.raises(ValueError, match="FAIRTREE_BULK_READ_CONNECTIONS"):
        pg_bulk_read.bulk_read_connections()
    monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", "4")
    assert pg_bulk_read.bulk_read_connections() == 4

"""The PostgreSQL bulk read path: rows encoded by the server into binary records (and
joined text) per chunk of ids come back exactly and in id order, whatever the text holds
and however many chunks it takes; a null or a newline is refused, never a shifted column."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from fairtree.store.repositories import engine_arrays, pg_bulk_read

pytestmark = pytest.mark.postgres

SCHEMA = {"id": "int", "name": "text", "day": "date", "amount": "int"}
ROWS = [
    (1, "plain", date(2026, 3, 1), 0),
    (2, "with, comma", date(1969, 12, 31), -5),  # a day before the epoch: negative
    (5, 'say "hi"', date(2026, 2, 28), 2**40),
    (9, "", date(2000, 1, 1), 7),
    (10, "naïve ünïcode", date(2026, 3, 31), -(2**40)),
]


def _table(session: Session) -> None:
    session.execute(
        text("CREATE TEMP TABLE bulk_probe (id bigint, name text, day date, amount bigint)")
    )
    for row in ROWS:
        session.execute(
            text("INSERT INTO bulk_probe VALUES (:id, :name, :day, :amount)"),
            dict(zip(SCHEMA, row, strict=True)),
        )


@pytest.mark.parametrize("chunk_ids", [pg_bulk_read.CHUNK_IDS, 3, 1])
def test_rows_come_back_exactly_in_any_number_of_chunks(
    session: Session, monkeypatch: pytest.MonkeyPatch, chunk_ids: int
) -> None:
    _table(session)
    monkeypatch.setattr(pg_bulk_read, "CHUNK_IDS", chunk_ids)
    sql = "SELECT id, name, day, amount FROM bulk_probe WHERE amount <> 7"
    cols = engine_arrays.read_columns(session, sql, {}, SCHEMA, chunk_table="bulk_probe")
    got = list(
        zip(
            cols["id"].tolist(),
            cols["name"].tolist(),
            cols["day"].astype(object).tolist(),
            cols["amount"].tolist(),
            strict=True,
        )
    )
    assert got == [row for row in ROWS if row[3] != 7]


def test_the_planner_settings_are_restored(session: Session) -> None:
    _table(session)
    before = session.execute(text("SELECT current_setting('parallel_tuple_cost')")).scalar()
    engine_arrays.read_columns(
        session, "SELECT id, name, day, amount FROM bulk_probe", {}, SCHEMA, "bulk_probe"
    )
    after = session.execute(text("SELECT current_setting('parallel_tuple_cost')")).scalar()
    assert after == before


def test_an_empty_result_gives_empty_columns(session: Session) -> None:
    _table(session)
    sql = "SELECT id, name, day, amount FROM bulk_probe WHERE id < 0"
    cols = engine_arrays.read_columns(session, sql, {}, SCHEMA, chunk_table="bulk_probe")
    assert {name: len(column) for name, column in cols.items()} == dict.fromkeys(SCHEMA, 0)


@pytest.mark.parametrize(
    ("column", "value"), [("amount", None), ("name", None), ("name", "two\nlines")]
)
def test_a_null_or_a_newline_is_refused(session: Session, column: str, value: object) -> None:
    _table(session)
    session.execute(text(f"UPDATE bulk_probe SET {column} = :value WHERE id = 5"), {"value": value})
    sql = "SELECT id, name, day, amount FROM bulk_probe"
    with pytest.raises(ValueError, match="bulk_probe: 5 rows"):
        engine_arrays.read_columns(session, sql, {}, SCHEMA, chunk_table="bulk_probe")

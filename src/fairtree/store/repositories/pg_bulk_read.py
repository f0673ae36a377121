"""Read a large SELECT from PostgreSQL as CSV text, formatted by parallel workers.

``COPY ... TO STDOUT`` sends one protocol message per row, and a Python client pays
for each one (about a microsecond: for 5,000,000 orders more than the server spends).
Here the server turns each row into a CSV line inside parallel workers (the line is
computed in a subquery kept apart with ``OFFSET 0``, so the projection runs below the
Gather node) and ``string_agg`` joins the lines into one value per chunk of ids; the
client receives a few large values for Arrow's CSV reader. Text columns are quoted,
dates travel as day numbers since 1970-01-01, and every column must be non-null (the
caller's SELECT uses COALESCE), because ``concat_ws`` skips nulls.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

INT, TEXT, DATE = "int", "text", "date"
CHUNK_IDS = 1 << 23  # ids per value: a value stays far below PostgreSQL's 1 GB limit
# Parallel workers pay off for these scans; the planner's defaults assume that moving
# a row from a worker costs more than formatting it, and JIT compiling costs more
# than it saves on a single pass.
_PLANNER = {"parallel_setup_cost": "0", "parallel_tuple_cost": "0", "jit": "off"}


def _field(name: str, kind: str) -> str:
    if kind == TEXT:
        return f"'\"' || replace(q.{name}, '\"', '\"\"') || '\"'"
    if kind == DATE:
        return f"(q.{name} - DATE '1970-01-01')"
    return f"q.{name}"


@contextmanager
def _parallel_planner(cursor: Any) -> Iterator[None]:
    """Planner settings for this transaction's bulk reads, restored afterwards (a failed
    statement aborts the transaction, which drops them anyway)."""
    before = {}
    for name, value in _PLANNER.items():
        cursor.execute("SELECT current_setting(%s)", (name,))
        before[name] = cursor.fetchone()[0]
        cursor.execute("SELECT set_config(%s, %s, true)", (name, value))
    yield
    for name, value in before.items():
        cursor.execute("SELECT set_config(%s, %s, true)", (name, value))


def read_csv_chunks(raw: Any, sql: str, schema: dict[str, str], table: str) -> list[bytes]:
    """CSV lines (no header, ``\\n``-separated) of ``sql``'s rows, one value per id chunk.

    ``sql`` must name its columns as ``schema`` does, including ``id``: the ids of
    ``table`` that the chunks split on.
    """
    fields = ", ".join(_field(name, kind) for name, kind in schema.items())
    query = (
        "SELECT convert_to(string_agg(line, E'\\n'), 'UTF8') FROM ("  # noqa: S608 - our names
        f" SELECT concat_ws(',', {fields}) AS line FROM ({sql}) AS q"
        " WHERE q.id >= {start} AND q.id < {stop} OFFSET 0) AS lines"
    )
    chunks = []
    with raw.cursor(binary=True) as cursor, _parallel_planner(cursor):
        cursor.execute(f"SELECT min(id), max(id) FROM {table}")  # noqa: S608 - our name
        low, high = cursor.fetchone()
        if low is None:
            return []
        for start in range(low, high + 1, CHUNK_IDS):
            cursor.execute(query.format(start=int(start), stop=int(start) + CHUNK_IDS))
            value = cursor.fetchone()[0]
            if value:
                chunks.append(bytes(value))
    return chunks

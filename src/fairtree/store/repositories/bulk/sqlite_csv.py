"""SQLite export fast path: the database writes each CSV line itself.

Fetching ten Python objects per row and formatting them costs more than the rest of the
export together; here one SQL expression per file renders the canonical line (same rules
as fairtree.dataset.writer: quoting only when needed, money with its currency's digits,
volumes with two decimals), so Python receives one string per row.
The PostgreSQL export keeps the Arrow path; both are held to byte-identical round trips.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import String, case, cast, func, literal
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from fairtree.dataset.writer import LAYOUTS, Kind
from fairtree.money import CURRENCY_EXPONENTS, POINT_EXPONENT
from fairtree.store.database import driver_connection
from fairtree.store.repositories.bulk.dump import CHUNK_ROWS, QUERIES


def _text(column: Any) -> ColumnElement[Any]:
    """Quoted only when it holds a comma, a quote or a line break (one GLOB per value)."""
    needs_quotes = column.op("GLOB")(literal('*[,"\n\r]*'))
    quoted = literal('"') + func.replace(column, '"', '""') + literal('"')
    return case((needs_quotes, quoted), else_=func.coalesce(column, ""))


def _fixed(column: Any, exponent: int) -> ColumnElement[Any]:
    """Non-negative integer units as text with ``exponent`` decimals (CHECKs keep them >= 0)."""
    if exponent == 0:
        return func.printf("%d", column)
    scale = 10**exponent
    return func.printf(f"%d.%0{exponent}d", column.op("/")(scale), column.op("%")(scale))


def _money(column: Any, currency: Any) -> ColumnElement[Any]:
    by_currency = [
        (currency == code, _fixed(column, exponent))
        for code, exponent in sorted(CURRENCY_EXPONENTS.items())
    ]
    return case(*by_currency, else_=_fixed(column, 2))


def _render(column: Any, kind: Kind, currency: Any) -> ColumnElement[Any]:
    if kind is Kind.TEXT:
        return _text(column)
    if kind is Kind.INT:
        return func.coalesce(cast(column, String), "")
    if kind is Kind.DATE:
        return cast(column, String)
    if kind is Kind.BOOL:
        return case((column, "true"), else_="false")
    if kind is Kind.POINTS:
        return _fixed(column, POINT_EXPONENT)
    return _money(column, currency)


def line_query_sql(session: Session, file: str) -> str:
    """The SQL that yields ``file``'s CSV lines (without line ends) in creation order."""
    query = QUERIES[file]()
    kinds, currency_index = LAYOUTS[file]
    columns = list(query.selected_columns)
    currency = columns[currency_index] if currency_index is not None else None
    rendered = [_render(columns[i], kind, currency) for i, kind in enumerate(kinds)]
    line = rendered[0]
    for part in rendered[1:]:
        line = line + literal(",") + part
    statement = query.with_only_columns(line.label("line"), maintain_column_froms=True)
    compiled = statement.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


def csv_chunks(session: Session, file: str) -> Iterator[tuple[bytes, int]]:
    """(CSV bytes, row count) for ``file``, ``CHUNK_ROWS`` lines at a time."""
    sql = line_query_sql(session, file)
    cursor = driver_connection(session).cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            text = "\n".join([row[0] for row in rows]) + "\n"
            yield text.encode("utf-8"), len(rows)
    finally:
        cursor.close()

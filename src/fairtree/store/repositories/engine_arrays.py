"""Load a period's network and orders straight into engine arrays (set-based).

One SELECT per table, read column-wise into numpy: PostgreSQL streams it with
``COPY (SELECT ...) TO STDOUT`` into Arrow's CSV reader, SQLite through one cursor
fetch. No ORM objects are built, so a million members load in seconds.

The network is the genealogy as it stood on the period's last day (genealogy_history).
An order counts in the period its date falls in; a return counts in the period of the
order it reverses (so a return after a close corrects that period, see docs/ledger.md).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import text
from sqlalchemy.orm import Session

from fairtree.engine.inputs import STATUS_CODES, EngineInput, Members, Orders
from fairtree.errors import UnknownMemberError
from fairtree.periods import Period

_MEMBERS_SQL = """
SELECT m.id, m.member_id, h.sponsor_id, m.joined_on, m.status,
       h.placement_parent_id, h.placement_position
FROM members m
JOIN genealogy_history h ON h.member_id = m.id
 AND h.valid_from <= :last_day AND (h.valid_to IS NULL OR h.valid_to > :last_day)
WHERE m.joined_on <= :last_day
ORDER BY m.id
"""

# Effective date: a return takes the date of the order it reverses.
_ORDERS_SQL = """
SELECT o.id, o.order_id,
       COALESCE(o.buyer_member_id, c.member_id) AS buyer,
       CASE WHEN o.buyer_customer_id IS NULL THEN 0 ELSE 1 END AS from_customer,
       COALESCE(original.placed_on, o.placed_on) AS placed_on,
       CASE WHEN o.kind = 'return' THEN -1 ELSE 1 END AS sign,
       SUM(CASE WHEN p.commissionable THEN l.quantity * l.pv ELSE 0 END) AS pv,
       SUM(CASE WHEN p.commissionable THEN l.quantity * l.bv ELSE 0 END) AS bv,
       SUM(CASE WHEN p.commissionable THEN l.quantity * l.unit_price ELSE 0 END) AS sales,
       SUM(CASE WHEN p.commissionable THEN 0 ELSE l.quantity * l.unit_price END) AS other,
       SUM(CASE WHEN o.buyer_customer_id IS NULL THEN 0
                ELSE l.quantity * (p.retail_price - p.member_price) END) AS margin
FROM orders o
LEFT JOIN orders original ON original.id = o.returns_order_id
LEFT JOIN customers c ON c.id = o.buyer_customer_id
JOIN order_lines l ON l.order_id = o.id
JOIN products p ON p.id = l.product_id
WHERE COALESCE(original.placed_on, o.placed_on) >= :start
  AND COALESCE(original.placed_on, o.placed_on) < :end
  AND o.id <= :through
GROUP BY o.id, o.order_id, o.buyer_member_id, c.member_id, o.buyer_customer_id,
         o.placed_on, original.placed_on, o.kind
ORDER BY o.id
"""

_MEMBER_COLUMNS = {
    "id": pa.int64(),
    "member_id": pa.string(),
    "sponsor_id": pa.int64(),
    "joined_on": pa.date32(),
    "status": pa.string(),
    "placement_parent_id": pa.int64(),
    "placement_position": pa.string(),
}
_ORDER_COLUMNS = {
    "id": pa.int64(),
    "order_id": pa.string(),
    "buyer": pa.int64(),
    "from_customer": pa.int64(),
    "placed_on": pa.date32(),
    "sign": pa.int64(),
    "pv": pa.int64(),
    "bv": pa.int64(),
    "sales": pa.int64(),
    "other": pa.int64(),
    "margin": pa.int64(),
}
_POSITIONS = {"L": 0, "R": 1}
NO_LIMIT = 2**62


@dataclass(frozen=True)
class PeriodFacts:
    """Engine input for one period plus the database ids behind its rows."""

    inputs: EngineInput
    member_db_ids: np.ndarray  # int64, row i of inputs.members
    order_db_ids: np.ndarray  # int64, row i of inputs.orders

    @property
    def orders_id_sum(self) -> int:
        return int(self.order_db_ids.sum())


def _bind(sql: str, params: dict[str, Any]) -> str:
    """Inline trusted, typed parameters for COPY (which takes no bind parameters)."""
    for name, value in params.items():
        literal = f"'{value.isoformat()}'" if isinstance(value, date) else str(int(value))
        sql = sql.replace(f":{name}", literal)
    return sql


def _read_table(session: Session, sql: str, params: dict[str, Any], schema: dict) -> pa.Table:
    names = list(schema)
    if session.get_bind().dialect.name == "postgresql":
        raw = session.connection().connection.driver_connection
        buffer = io.BytesIO()
        with raw.cursor() as cursor:
            copy_sql = f"COPY ({_bind(sql, params)}) TO STDOUT (FORMAT csv)"
            with cursor.copy(copy_sql) as copy:
                for block in copy:
                    buffer.write(block)
        buffer.seek(0)
        if buffer.getbuffer().nbytes == 0:
            return pa.table({n: pa.array([], type=t) for n, t in schema.items()})
        return pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(column_names=names),
            convert_options=pacsv.ConvertOptions(
                column_types=schema, strings_can_be_null=True, quoted_strings_can_be_null=False
            ),
        )
    rows = session.execute(text(sql), params).all()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    arrays = {}
    for (name, kind), values in zip(schema.items(), columns, strict=True):
        if kind == pa.date32():
            arrays[name] = pa.array(
                [date.fromisoformat(v) if isinstance(v, str) else v for v in values], kind
            )
        elif kind == pa.int64():
            arrays[name] = pa.array([None if v is None else int(v) for v in values], kind)
        else:
            arrays[name] = pa.array(values, kind)
    return pa.table(arrays)


def _ints(table: pa.Table, name: str, fill: int = -1) -> np.ndarray:
    return table.column(name).fill_null(fill).to_numpy().astype(np.int64)


def _days(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy().astype("datetime64[D]")


def _index_of(db_ids: np.ndarray, targets: np.ndarray, what: str, names: np.ndarray) -> np.ndarray:
    """Row index in ``db_ids`` (sorted) of every target id; -1 stays -1."""
    found = np.searchsorted(db_ids, targets)
    found = np.clip(found, 0, max(db_ids.size - 1, 0))
    missing = (targets >= 0) & ((db_ids.size == 0) | (db_ids[found] != targets))
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise UnknownMemberError(f"{what} of {names[row]} is not in the network of this period")
    return np.where(targets >= 0, found, -1)


def load_members(session: Session, period: Period) -> tuple[Members, np.ndarray]:
    """The network on the period's last day, rows ordered by database id."""
    last_day = period.end - timedelta(days=1)
    table = _read_table(session, _MEMBERS_SQL, {"last_day": last_day}, _MEMBER_COLUMNS)
    db_ids = _ints(table, "id")
    names = table.column("member_id").to_numpy(zero_copy_only=False).astype(object)
    sponsor = _index_of(db_ids, _ints(table, "sponsor_id"), "sponsor", names)
    placement_parent = _index_of(
        db_ids, _ints(table, "placement_parent_id"), "placement parent", names
    )
    statuses = table.column("status").to_numpy(zero_copy_only=False)
    status_codes = np.zeros(len(statuses), dtype=np.int8)
    for name, code in STATUS_CODES.items():
        status_codes[statuses == name] = code
    positions = table.column("placement_position").to_numpy(zero_copy_only=False)
    position_codes = np.full(len(positions), -1, dtype=np.int8)
    for name, code in _POSITIONS.items():
        position_codes[positions == name] = code
    numeric = np.array([p is not None and str(p).isdigit() for p in positions], dtype=bool)
    if numeric.any():
        position_codes[numeric] = positions[numeric].astype(np.int64)
    members = Members(
        ids=names,
        sponsor=sponsor,
        joined_on=_days(table, "joined_on"),
        status=status_codes,
        placement_parent=placement_parent,
        placement_position=position_codes,
    )
    return members, db_ids


def load_orders(
    session: Session, period: Period, member_db_ids: np.ndarray, through_id: int = NO_LIMIT
) -> tuple[Orders, np.ndarray]:
    """Orders (and returns, negative) whose effective date falls in the period."""
    params = {"start": period.start, "end": period.end, "through": through_id}
    table = _read_table(session, _ORDERS_SQL, params, _ORDER_COLUMNS)
    ids = table.column("order_id").to_numpy(zero_copy_only=False).astype(object)
    sign = _ints(table, "sign", 1)
    buyer = _index_of(member_db_ids, _ints(table, "buyer"), "buyer", ids)
    orders = Orders(
        ids=ids,
        buyer=buyer,
        from_customer=_ints(table, "from_customer", 0).astype(bool),
        placed_on=_days(table, "placed_on"),
        pv=sign * _ints(table, "pv", 0),
        bv=sign * _ints(table, "bv", 0),
        sales=sign * _ints(table, "sales", 0),
        noncommissionable_sales=sign * _ints(table, "other", 0),
        retail_margin=sign * _ints(table, "margin", 0),
        party=np.full(len(ids), -1, dtype=np.int64),
    )
    return orders, _ints(table, "id")


def load_period_facts(
    session: Session, period: Period, through_id: int = NO_LIMIT, placement: bool = True
) -> PeriodFacts:
    """Members and orders of ``period`` as engine input (orders up to ``through_id``)."""
    members, member_db_ids = load_members(session, period)
    if not placement:
        members = Members(members.ids, members.sponsor, members.joined_on, members.status)
    orders, order_db_ids = load_orders(session, period, member_db_ids, through_id)
    return PeriodFacts(EngineInput(members, orders), member_db_ids, order_db_ids)

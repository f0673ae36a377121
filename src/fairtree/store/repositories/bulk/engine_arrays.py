"""Load a period's network and orders straight into engine arrays (set-based).

Plain SELECTs (members, orders, parties), read column-wise into numpy: on PostgreSQL
members and orders come as binary records built by parallel workers
(``pg_bulk_read.read_columns``) and small tables through ``COPY ... TO STDOUT``; SQLite
through one raw cursor fetch. Each order row already carries its signed totals
(``engine.order_rollup.order_totals``, derived when it was recorded), so no lines, no
GROUP BY and no ORM objects: one row per member and one per order.

The network is the genealogy as it stood on the period's last day (genealogy_history),
with each member's status on that day.
An order counts in the period its date falls in; a return counts in the period of the
order it reverses (so a return after a close corrects that period, see docs/ledger.md).
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy.orm import Session

from fairtree.engine.inputs import (
    STATUS_CODES,
    EngineInput,
    Members,
    OrderLines,
    Orders,
    Parties,
)
from fairtree.errors import UnknownMemberError
from fairtree.periods import Period
from fairtree.store.database import driver_connection
from fairtree.store.repositories.bulk import pg_read as pg_bulk_read
from fairtree.store.repositories.bulk.id_order import rows_by_id
from fairtree.store.repositories.bulk.order_names import StoredOrderNames


def _code_case(column: str, codes: dict[str, int]) -> str:
    whens = " ".join(f"WHEN '{name}' THEN {code}" for name, code in codes.items())
    return f"CASE {column} {whens} ELSE 0 END"


@dataclass(frozen=True)
class BulkSelect:
    """A SELECT for the bulk path (``pg_bulk_read``): its text, which restricts the ids
    it reads with ``:unit_low`` and ``:unit_high`` on every table it joins; a query for
    the lowest and highest id it can return; and the tables it reads."""

    sql: str
    bounds: str
    reads: tuple[str, ...]


_UNIT = "{column} >= :unit_low AND {column} < :unit_high"

# Status and slot come as codes (engine.inputs.STATUS_CODES; slot L=0, R=1, a matrix
# position its number, none -1), so no text but the member id travels.
_MEMBERS = BulkSelect(
    sql=f"""
SELECT m.id AS id, m.member_id AS member_id, COALESCE(h.sponsor_id, -1) AS sponsor_id,
       m.joined_on AS joined_on, {_code_case("h.status", STATUS_CODES)} AS status,
       COALESCE(h.placement_parent_id, -1) AS placement_parent_id,
       CASE WHEN h.placement_position IS NULL THEN -1
            WHEN h.placement_position = 'L' THEN 0 WHEN h.placement_position = 'R' THEN 1
            ELSE CAST(h.placement_position AS INTEGER) END AS placement_position
FROM members m
JOIN genealogy_history h ON h.member_id = m.id
 AND h.valid_from <= :last_day AND (h.valid_to IS NULL OR h.valid_to > :last_day)
WHERE m.joined_on <= :last_day
  AND {_UNIT.format(column="m.id")} AND {_UNIT.format(column="h.member_id")}""",  # noqa: S608
    bounds="SELECT min(id), max(id) FROM members",
    reads=("members", "genealogy_history"),
)

# Orders dated in the period, then returns of orders dated in the period (their counts_on
# is the date of the order they reverse; a return naming no party belongs to its order's).
# Totals are stored signed on each order (engine.order_rollup.order_totals), so no lines
# are read. Order ids (text) are not loaded: only explanations name orders
# (StoredOrderNames). A period's orders span the ids between the lowest and the highest
# placed on each of its days: two probes a day of the (placed_on, id) index.
_ORDER_FIELDS = """{t}.id AS id, {t}.credited_member_id AS buyer,
       CASE WHEN {t}.buyer_customer_id IS NULL THEN 0 ELSE 1 END AS from_customer,
       {t}.counts_on AS placed_on, {party} AS party_id, {t}.total_pv AS pv,
       {t}.total_bv AS bv, {t}.total_sales AS sales, {t}.total_other_sales AS other,
       {t}.total_retail_margin AS margin"""
_ORDERS = BulkSelect(
    sql=f"""
SELECT {_ORDER_FIELDS.format(t="o", party="COALESCE(o.party_id, -1)")} FROM orders o
WHERE o.kind = 'order' AND o.placed_on >= :start AND o.placed_on < :end
  AND o.id <= :through AND {_UNIT.format(column="o.id")}""",  # noqa: S608
    bounds="""
SELECT min(span.low), max(span.high)
FROM generate_series(:start::date, :end::date - 1, INTERVAL '1 day') AS day(placed_on)
CROSS JOIN LATERAL (SELECT min(o.id) AS low, max(o.id) AS high FROM orders o
                    WHERE o.placed_on = day.placed_on::date) AS span""",
    reads=("orders",),
)
_RETURNS = BulkSelect(
    sql=f"""
SELECT {_ORDER_FIELDS.format(t="r", party="COALESCE(r.party_id, o.party_id, -1)")}
FROM orders r JOIN orders o ON o.id = r.returns_order_id
WHERE r.kind = 'return' AND r.counts_on >= :start AND r.counts_on < :end
  AND r.id <= :through AND {_UNIT.format(column="r.id")}""",  # noqa: S608
    bounds="""
SELECT min(id), max(id) FROM orders
WHERE kind = 'return' AND counts_on >= :start AND counts_on < :end""",
    reads=("orders",),
)

# For plans that ask for them only: the period's orders of a named kind (few rows), and
# the commissionable lines of the period's orders and returns by product (``paid_on``).
_PERIOD_ROWS = """((o.kind = 'order' AND o.placed_on >= :start AND o.placed_on < :end)
   OR (o.kind = 'return' AND o.counts_on >= :start AND o.counts_on < :end))
  AND o.id <= :through"""
_ORDER_KINDS_SQL = f"""
SELECT o.id, o.order_kind FROM orders o
WHERE o.order_kind IS NOT NULL AND {_PERIOD_ROWS}"""  # noqa: S608
_ORDER_KIND_COLUMNS = {"id": pg_bulk_read.INT, "order_kind": pg_bulk_read.TEXT}
_LINES_SQL = f"""
SELECT l.order_id, l.product_id, l.quantity * l.pv, l.quantity * l.bv
FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id
WHERE p.commissionable AND {_PERIOD_ROWS}"""  # noqa: S608
_LINE_COLUMNS = {
    "order": pg_bulk_read.INT,
    "product": pg_bulk_read.INT,
    "pv": pg_bulk_read.INT,
    "bv": pg_bulk_read.INT,
}
_PRODUCTS_SQL = "SELECT id, sku, category FROM products ORDER BY id"
_PRODUCT_COLUMNS = {
    "id": pg_bulk_read.INT,
    "sku": pg_bulk_read.TEXT,
    "category": pg_bulk_read.TEXT,
}

_empty = pg_bulk_read.empty_column
_INT, _INT32 = pg_bulk_read.INT, pg_bulk_read.INT32
_TEXT, _DATE = pg_bulk_read.TEXT, pg_bulk_read.DATE
_MEMBER_COLUMNS = {
    "id": _INT32,
    "member_id": _TEXT,
    "sponsor_id": _INT32,
    "joined_on": _DATE,
    "status": _INT32,
    "placement_parent_id": _INT32,
    "placement_position": _INT32,
}
_ORDER_COLUMNS = {
    "id": _INT32,
    "buyer": _INT32,
    "from_customer": _INT32,
    "placed_on": _DATE,
    "party_id": _INT32,
    "pv": _INT,
    "bv": _INT,
    "sales": _INT,
    "other": _INT,
    "margin": _INT,
}
_PARTIES_SQL = """
SELECT id, party_id, consultant_member_id, COALESCE(host_member_id, -1), held_on
FROM parties WHERE id >= :lo AND id <= :hi
ORDER BY id
"""
_PARTY_COLUMNS = {
    "id": _INT,
    "party_id": _TEXT,
    "consultant": _INT,
    "host_member": _INT,
    "held_on": _DATE,
}
_ARROW_TYPES = {_INT: pa.int64(), _INT32: pa.int64(), _TEXT: pa.string(), _DATE: pa.date32()}
NO_LIMIT = 2**62


@dataclass(frozen=True)
class FactsRead:
    """What a plan reads beyond one row per order: order kinds (a qualifying order of a
    kind) and the lines by product (a bonus limited to products)."""

    order_kinds: bool = False
    order_lines: bool = False


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
    """Inline typed parameters (dates, integers only) for COPY and the raw cursor."""
    for name, value in params.items():
        literal = f"'{value.isoformat()}'" if isinstance(value, date) else str(int(value))
        sql = sql.replace(f":{name}", literal)
    return sql


def read_columns(
    session: Session, sql: str, params: dict[str, Any], schema: dict[str, str]
) -> dict[str, np.ndarray]:
    """Run one SELECT and return its columns as numpy arrays (no NULLs expected): on
    PostgreSQL through ``COPY``, on SQLite one raw cursor fetch."""
    bound = _bind(sql, params)
    if session.get_bind().dialect.name == "postgresql":
        return _read_copy(driver_connection(session), bound, schema)
    rows = driver_connection(session).execute(bound).fetchall()
    return {name: _sqlite_column(rows, i, kind) for i, (name, kind) in enumerate(schema.items())}


def _sqlite_column(rows: list[tuple[Any, ...]], index: int, kind: str) -> np.ndarray:
    """Column ``index`` of fetched rows as the loader's numpy type, straight from the
    tuples (no intermediate object table: a tenth of the time for integer columns)."""
    values = map(itemgetter(index), rows)
    if kind in (_INT, _INT32):
        return np.fromiter(values, dtype=np.int64, count=len(rows))
    if kind == _DATE:
        return np.array(list(values), dtype="datetime64[D]")
    return np.fromiter(values, dtype=object, count=len(rows))


def read_bulk(
    session: Session, select: BulkSelect, params: dict[str, Any], schema: dict[str, str]
) -> dict[str, np.ndarray]:
    """A large SELECT's columns, sorted by ``id``: on PostgreSQL encoded by the server
    on several connections at once (``pg_bulk_read``), on SQLite one fetch."""
    if session.get_bind().dialect.name == "postgresql":
        sql, bounds = _bind(select.sql, params), _bind(select.bounds, params)
        return pg_bulk_read.read_columns(session, sql, schema, bounds, select.reads)
    everything = {**params, "unit_low": -NO_LIMIT, "unit_high": NO_LIMIT}
    return rows_by_id(read_columns(session, select.sql, everything, schema))


def _typed(column: np.ndarray, kind: str) -> np.ndarray:
    """A column as the loader's numpy type: int64, datetime64[D] or objects."""
    if kind in (_INT, _INT32):
        return column.astype(np.int64)
    if kind == _DATE:
        return column.astype("datetime64[D]")
    return column.astype(object)


def _read_copy(raw: Any, sql: str, schema: dict[str, str]) -> dict[str, np.ndarray]:
    return _csv_columns(pg_bulk_read.copy_out(raw, sql), schema)


def _csv_columns(data: bytes, schema: dict[str, str]) -> dict[str, np.ndarray]:
    """Header-less CSV rows as numpy columns."""
    if not data:
        return {name: _empty(kind) for name, kind in schema.items()}
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=list(schema), block_size=1 << 26),
        convert_options=pacsv.ConvertOptions(
            column_types={name: _ARROW_TYPES[kind] for name, kind in schema.items()},
            strings_can_be_null=False,
        ),
    )
    return {
        name: _typed(table.column(name).to_numpy(zero_copy_only=False), kind)
        for name, kind in schema.items()
    }


def _index_of(db_ids: np.ndarray, targets: np.ndarray, what: str, names: Any) -> np.ndarray:
    """Row index in ``db_ids`` (sorted) of every target id; -1 stays -1.

    Database ids are nearly dense, so a direct lookup table (one int64 per id up to the
    largest) replaces a binary search per target: 5,000,000 random lookups into
    1,000,000 ids take about a second by ``searchsorted``, a tenth of that here.
    """
    if db_ids.size == 0:
        found = np.zeros(targets.size, dtype=np.int64)
        missing = targets >= 0
    elif db_ids[0] >= 0 and db_ids[-1] <= 4 * db_ids.size + 1024:
        position = np.full(int(db_ids[-1]) + 1, -1, dtype=np.int64)
        position[db_ids] = np.arange(db_ids.size, dtype=np.int64)
        inside = (targets >= 0) & (targets < position.size)
        found = np.where(inside, position[np.where(inside, targets, 0)], -1)
        missing = (targets >= 0) & (found < 0)
    else:
        found = np.clip(np.searchsorted(db_ids, targets), 0, db_ids.size - 1)
        missing = (targets >= 0) & (db_ids[found] != targets)
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise UnknownMemberError(f"{what} of {names[row]} is not in the network of this period")
    return np.where(targets >= 0, found, -1)


def load_members(session: Session, period: Period) -> tuple[Members, np.ndarray]:
    """The network and every member's status on the period's last day, by database id."""
    last_day = period.end - timedelta(days=1)
    cols = read_bulk(session, _MEMBERS, {"last_day": last_day}, _MEMBER_COLUMNS)
    db_ids, names = cols["id"], cols["member_id"]
    members = Members(
        ids=names,
        sponsor=_index_of(db_ids, cols["sponsor_id"], "sponsor", names),
        joined_on=cols["joined_on"],
        status=cols["status"].astype(np.int8),
        placement_parent=_index_of(db_ids, cols["placement_parent_id"], "placement parent", names),
        placement_position=cols["placement_position"].astype(np.int8),
    )
    return members, db_ids


def load_parties(
    session: Session, party_db_ids: np.ndarray, member_db_ids: np.ndarray
) -> tuple[Parties | None, np.ndarray]:
    """The parties with the given database ids (sorted, unique), hosts as member rows."""
    if party_db_ids.size == 0:
        return None, party_db_ids
    params = {"lo": int(party_db_ids[0]), "hi": int(party_db_ids[-1])}
    cols = read_columns(session, _PARTIES_SQL, params, _PARTY_COLUMNS)
    keep = np.isin(cols["id"], party_db_ids)
    cols = {name: column[keep] for name, column in cols.items()}
    ids = cols["party_id"]
    parties = Parties(
        ids=ids,
        consultant=_index_of(member_db_ids, cols["consultant"], "consultant", ids),
        host_member=_index_of(member_db_ids, cols["host_member"], "host", ids),
        held_on=cols["held_on"],
    )
    return parties, cols["id"]


def load_orders(
    session: Session,
    period: Period,
    member_db_ids: np.ndarray,
    through_id: int = NO_LIMIT,
    reads: FactsRead | None = None,
) -> tuple[Orders, np.ndarray, Parties | None]:
    """Orders (and returns, negative) whose period is ``period``, with their parties;
    with their kinds and lines by product when ``reads`` asks for them."""
    params = {"start": period.start, "end": period.end, "through": through_id}
    placed = read_bulk(session, _ORDERS, params, _ORDER_COLUMNS)
    returned = read_bulk(session, _RETURNS, params, _ORDER_COLUMNS)
    cols = _then(placed, returned)
    order_db_ids, party_ids = cols["id"], cols["party_id"]
    ids = StoredOrderNames(session, order_db_ids)
    party_db_ids = np.unique(party_ids[party_ids >= 0])
    parties, party_db_ids = load_parties(session, party_db_ids, member_db_ids)
    from_customer = cols["from_customer"].astype(bool)
    orders = Orders(
        ids=ids,
        buyer=_index_of(member_db_ids, cols["buyer"], "buyer", ids),
        from_customer=from_customer,
        placed_on=cols["placed_on"],
        pv=cols["pv"],
        bv=cols["bv"],
        sales=cols["sales"],
        noncommissionable_sales=cols["other"],
        retail_margin=cols["margin"],
        party=_index_of(party_db_ids, party_ids, "party", ids),
    )
    reads = reads or FactsRead()
    returns_from = placed["id"].shape[0]
    if reads.order_kinds:
        kinds = load_order_kinds(session, period, order_db_ids, returns_from, through_id)
        orders = dataclasses.replace(orders, kind=kinds)
    if reads.order_lines:
        lines = load_order_lines(session, period, order_db_ids, returns_from, through_id)
        orders = dataclasses.replace(orders, lines=lines)
    return orders, order_db_ids, parties


def _rows_of(order_db_ids: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Row in ``order_db_ids`` (unique, orders then returns) of each target id."""
    by_id = np.argsort(order_db_ids, kind="stable")
    found = np.searchsorted(order_db_ids, targets, sorter=by_id)
    return by_id[np.minimum(found, max(by_id.size - 1, 0))]


def load_order_kinds(
    session: Session, period: Period, order_db_ids: np.ndarray, returns_from: int, through: int
) -> np.ndarray:
    """Each loaded order's kind ("order", "return", or e.g. "subscription"), by row;
    ``returns_from`` is the first row of the returns."""
    params = {"start": period.start, "end": period.end, "through": through}
    cols = read_columns(session, _ORDER_KINDS_SQL, params, _ORDER_KIND_COLUMNS)
    kind = np.full(order_db_ids.shape[0], "order", dtype=object)
    kind[returns_from:] = "return"
    named = cols["id"]
    if named.size:
        rows = _rows_of(order_db_ids, named)
        plain = rows < returns_from  # a return keeps "return"
        kind[rows[plain]] = cols["order_kind"][plain]
    return kind


def load_order_lines(
    session: Session, period: Period, order_db_ids: np.ndarray, returns_from: int, through: int
) -> OrderLines:
    """The commissionable lines of the loaded orders by product, signed like the order."""
    params = {"start": period.start, "end": period.end, "through": through}
    cols = read_columns(session, _LINES_SQL, params, _LINE_COLUMNS)
    products = read_columns(session, _PRODUCTS_SQL, {}, _PRODUCT_COLUMNS)
    rows = _rows_of(order_db_ids, cols["order"])
    sign = np.where(rows >= returns_from, -1, 1).astype(np.int64)
    return OrderLines(
        order=rows.astype(np.int64),
        product=np.searchsorted(products["id"], cols["product"]).astype(np.int32),
        pv=sign * cols["pv"],
        bv=sign * cols["bv"],
        product_ids=products["sku"],
        product_category=products["category"],
    )


def _then(first: dict[str, np.ndarray], second: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The rows of ``first`` followed by those of ``second`` (orders, then returns: each
    part sorted by id, a fixed order whatever the table's layout)."""
    if second["id"].size == 0:
        return first
    return {name: np.concatenate([first[name], second[name]]) for name in first}


def load_period_facts(
    session: Session,
    period: Period,
    through_id: int = NO_LIMIT,
    placement: bool = True,
    reads: FactsRead | None = None,
) -> PeriodFacts:
    """Members and orders of ``period`` as engine input (orders up to ``through_id``);
    order kinds and lines by product only when ``reads`` (the plan) asks for them."""
    members, member_db_ids = load_members(session, period)
    if not placement:
        members = Members(members.ids, members.sponsor, members.joined_on, members.status)
    orders, order_db_ids, parties = load_orders(session, period, member_db_ids, through_id, reads)
    return PeriodFacts(EngineInput(members, orders, parties), member_db_ids, order_db_ids)

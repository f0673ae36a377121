"""One member's downline in a period, as engine input: what one statement needs.

A member's pay under a downline-local bonus kind (unilevel, matching, binary, ...)
depends only on the members below them (in the sponsor tree and, with a placement,
in the placement tree) and on those members' orders: their ranks, activity,
compression and volumes are all decided inside that downline. So a statement can be
explained by evaluating the downline alone, with the same engine, instead of loading
the whole period (``engine_arrays.load_period_facts``).

The downline is closed under both trees: every sponsored and every placed member of
a member in it is in it. A member whose sponsor (or placement parent) lies outside
becomes a root of that tree here. Rows keep the bulk loader's order (members by
database id; orders by id, then returns by id), so order ids come out in the same
order in an explanation; the downline's order ids come with its orders (a few, not a
period's millions). Parties are not read: only the party kind reads them, and
it is not downline-local.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy.orm import Session

from fairtree.engine.inputs import STATUS_CODES, EngineInput, Members, Orders
from fairtree.periods import Period
from fairtree.store.repositories.bulk.engine_arrays import NO_LIMIT, PeriodFacts, read_columns
from fairtree.store.repositories.int_arrays import int_array_text

_AS_OF = "h.valid_from <= :last_day AND (h.valid_to IS NULL OR h.valid_to > :last_day)"
_STATUS = " ".join(f"WHEN '{name}' THEN {code}" for name, code in STATUS_CODES.items())


def _downline_cte(placement: bool) -> str:
    link = "h.sponsor_id = d.id"
    if placement:
        link = f"({link} OR h.placement_parent_id = d.id)"
    return f"""
WITH RECURSIVE downline(id) AS (
  SELECT CAST(:root AS BIGINT)
  UNION
  SELECT h.member_id FROM genealogy_history h JOIN downline d ON {link}
  WHERE {_AS_OF}
)"""  # noqa: S608


def _members_sql(placement: bool) -> str:
    """Every member of the downline with a row on the last day, and whether they had
    joined by then (those who had not are left out of the facts but their orders are
    read, as the walk reaches them)."""
    return f"""{_downline_cte(placement)}
SELECT m.id, CASE WHEN m.joined_on <= :last_day THEN 1 ELSE 0 END,
       m.member_id, COALESCE(h.sponsor_id, -1), m.joined_on,
       CASE h.status {_STATUS} ELSE 0 END,
       COALESCE(h.placement_parent_id, -1),
       CASE WHEN h.placement_position IS NULL THEN -1
            WHEN h.placement_position = 'L' THEN 0 WHEN h.placement_position = 'R' THEN 1
            ELSE CAST(h.placement_position AS INTEGER) END
FROM downline d
JOIN members m ON m.id = d.id
JOIN genealogy_history h ON h.member_id = m.id AND {_AS_OF}"""  # noqa: S608


_ORDER_COLUMNS = """{t}.id, {t}.order_id, {t}.credited_member_id,
       CASE WHEN {t}.buyer_customer_id IS NULL THEN 0 ELSE 1 END,
       {t}.counts_on, {t}.total_pv, {t}.total_bv, {t}.total_sales,
       {t}.total_other_sales, {t}.total_retail_margin"""


def _orders_sql(downline: str) -> str:
    """The orders and returns of the downline, given as its CTE (``_downline_cte``) or,
    on PostgreSQL, as the ids the members read found (``_read_downline``)."""
    return f"""{downline}
SELECT 0 AS part, {_ORDER_COLUMNS.format(t="o")}
FROM downline d JOIN orders o ON o.credited_member_id = d.id
WHERE o.kind = 'order' AND o.counts_on >= :start AND o.counts_on < :end
  AND o.id <= :through
UNION ALL
SELECT 1 AS part, {_ORDER_COLUMNS.format(t="r")}
FROM downline d JOIN orders r ON r.credited_member_id = d.id
WHERE r.kind = 'return' AND r.counts_on >= :start AND r.counts_on < :end
  AND r.id <= :through"""  # noqa: S608


def _lookup(db_ids: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Row of each target id in ``db_ids`` (sorted); -1 for -1 and for ids outside."""
    if db_ids.size == 0:
        return np.full(targets.size, -1, dtype=np.int64)
    where = np.clip(np.searchsorted(db_ids, targets), 0, db_ids.size - 1)
    return np.where((targets >= 0) & (db_ids[where] == targets), where, -1).astype(np.int64)


def _read_downline(db_ids: np.ndarray, root_db_id: int) -> str:
    """The downline as the ids already read (and the root, which has no row on the
    last day when it joined later), not walked a second time: an array constant
    whose length the planner knows, so the orders are joined by hash, not probed one
    member at a time. Whole numbers only, written into the SQL as COPY needs."""
    ids = np.union1d(db_ids, [root_db_id]).astype(np.int64)
    return (
        f"WITH downline(id) AS (SELECT unnest(CAST('{int_array_text(ids.tolist())}' AS BIGINT[])))"
    )


_MEMBER_COLUMNS = {
    "id": "int",
    "joined": "int",
    "member_id": "text",
    "sponsor": "int",
    "joined_on": "date",
    "status": "int",
    "placement_parent": "int",
    "placement_position": "int",
}
_ORDER_COLUMNS_READ = {
    "part": "int",
    "id": "int",
    "order_id": "text",
    "buyer": "int",
    "from_customer": "int",
    "placed_on": "date",
    "pv": "int",
    "bv": "int",
    "sales": "int",
    "other": "int",
    "margin": "int",
}


def load_downline_facts(
    session: Session,
    period: Period,
    root_db_id: int,
    through_id: int = NO_LIMIT,
    placement: bool = True,
) -> PeriodFacts:
    """The downline of member ``root_db_id`` and its orders of ``period`` (orders up to
    ``through_id``) as engine input, rows in the bulk loader's order. Read as columns
    (``COPY`` on PostgreSQL): a top earner's downline can be most of the company."""
    last_day = period.end - timedelta(days=1)
    base = {"root": int(root_db_id), "last_day": last_day}
    read = read_columns(session, _members_sql(placement), base, _MEMBER_COLUMNS)
    downline = _downline_cte(placement)
    if session.get_bind().dialect.name == "postgresql":
        downline = _read_downline(read["id"], root_db_id)
    # rows by id, sorted here: a server sort of a million rows spills to disk
    kept = np.flatnonzero(read["joined"] == 1)
    kept = kept[np.argsort(read["id"][kept], kind="stable")]
    cols = {name: column[kept] for name, column in read.items()}
    db_ids = cols["id"]
    network = Members(
        ids=cols["member_id"],
        sponsor=_lookup(db_ids, cols["sponsor"]),
        joined_on=cols["joined_on"],
        status=cols["status"].astype(np.int8),
        placement_parent=_lookup(db_ids, cols["placement_parent"]) if placement else None,
        placement_position=cols["placement_position"].astype(np.int8) if placement else None,
    )
    params = {**base, "start": period.start, "end": period.end, "through": int(through_id)}
    read = read_columns(session, _orders_sql(downline), params, _ORDER_COLUMNS_READ)
    by_part_and_id = np.lexsort((read["id"], read["part"]))  # orders, then returns
    bought = {name: column[by_part_and_id] for name, column in read.items()}
    orders = Orders(
        ids=bought["order_id"],
        buyer=_lookup(db_ids, bought["buyer"]),
        from_customer=bought["from_customer"].astype(bool),
        placed_on=bought["placed_on"],
        pv=bought["pv"],
        bv=bought["bv"],
        sales=bought["sales"],
        noncommissionable_sales=bought["other"],
        retail_margin=bought["margin"],
        party=np.full(bought["id"].size, -1, dtype=np.int64),
    )
    return PeriodFacts(EngineInput(network, orders, None), db_ids, bought["id"])

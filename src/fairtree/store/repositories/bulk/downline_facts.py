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
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from fairtree.engine.inputs import STATUS_CODES, EngineInput, Members, Orders
from fairtree.periods import Period
from fairtree.store.repositories.bulk.engine_arrays import NO_LIMIT, PeriodFacts

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
    return f"""{_downline_cte(placement)}
SELECT m.id, m.member_id, COALESCE(h.sponsor_id, -1), m.joined_on,
       CASE h.status {_STATUS} ELSE 0 END,
       COALESCE(h.placement_parent_id, -1),
       CASE WHEN h.placement_position IS NULL THEN -1
            WHEN h.placement_position = 'L' THEN 0 WHEN h.placement_position = 'R' THEN 1
            ELSE CAST(h.placement_position AS INTEGER) END
FROM downline d
JOIN members m ON m.id = d.id
JOIN genealogy_history h ON h.member_id = m.id AND {_AS_OF}
WHERE m.joined_on <= :last_day
ORDER BY m.id"""  # noqa: S608


_ORDER_COLUMNS = """{t}.id, {t}.order_id, {t}.credited_member_id,
       CASE WHEN {t}.buyer_customer_id IS NULL THEN 0 ELSE 1 END,
       {t}.counts_on, {t}.total_pv, {t}.total_bv, {t}.total_sales,
       {t}.total_other_sales, {t}.total_retail_margin"""


def _orders_sql(placement: bool) -> str:
    return f"""{_downline_cte(placement)}
SELECT 0 AS part, {_ORDER_COLUMNS.format(t="o")}
FROM downline d JOIN orders o ON o.credited_member_id = d.id
WHERE o.kind = 'order' AND o.counts_on >= :start AND o.counts_on < :end
  AND o.id <= :through
UNION ALL
SELECT 1 AS part, {_ORDER_COLUMNS.format(t="r")}
FROM downline d JOIN orders r ON r.credited_member_id = d.id
WHERE r.kind = 'return' AND r.counts_on >= :start AND r.counts_on < :end
  AND r.id <= :through
ORDER BY 1, 2"""  # noqa: S608


def _lookup(db_ids: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Row of each target id in ``db_ids`` (sorted); -1 for -1 and for ids outside."""
    if db_ids.size == 0:
        return np.full(targets.size, -1, dtype=np.int64)
    where = np.clip(np.searchsorted(db_ids, targets), 0, db_ids.size - 1)
    return np.where((targets >= 0) & (db_ids[where] == targets), where, -1).astype(np.int64)


def _column(rows: list[Any], index: int, dtype: Any) -> np.ndarray:
    return np.array([row[index] for row in rows], dtype=dtype)


def load_downline_facts(
    session: Session,
    period: Period,
    root_db_id: int,
    through_id: int = NO_LIMIT,
    placement: bool = True,
) -> PeriodFacts:
    """The downline of member ``root_db_id`` and its orders of ``period`` (orders up to
    ``through_id``) as engine input, rows in the bulk loader's order."""
    last_day = period.end - timedelta(days=1)
    base = {"root": int(root_db_id), "last_day": last_day}
    members = list(session.execute(text(_members_sql(placement)), base))
    db_ids = _column(members, 0, np.int64)
    names = _column(members, 1, object)
    placement_parent = _lookup(db_ids, _column(members, 5, np.int64))
    network = Members(
        ids=names,
        sponsor=_lookup(db_ids, _column(members, 2, np.int64)),
        joined_on=_column(members, 3, "datetime64[D]"),
        status=_column(members, 4, np.int8),
        placement_parent=placement_parent if placement else None,
        placement_position=_column(members, 6, np.int8) if placement else None,
    )
    params = {**base, "start": period.start, "end": period.end, "through": int(through_id)}
    orders = list(session.execute(text(_orders_sql(placement)), params))
    order_db_ids = _column(orders, 1, np.int64)
    bought = Orders(
        ids=_column(orders, 2, object),
        buyer=_lookup(db_ids, _column(orders, 3, np.int64)),
        from_customer=_column(orders, 4, bool),
        placed_on=_column(orders, 5, "datetime64[D]"),
        pv=_column(orders, 6, np.int64),
        bv=_column(orders, 7, np.int64),
        sales=_column(orders, 8, np.int64),
        noncommissionable_sales=_column(orders, 9, np.int64),
        retail_margin=_column(orders, 10, np.int64),
        party=np.full(len(orders), -1, dtype=np.int64),
    )
    return PeriodFacts(EngineInput(network, bought, None), db_ids, order_db_ids)

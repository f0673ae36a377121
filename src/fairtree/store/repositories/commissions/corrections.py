"""Queries behind corrections: what a finalized period paid, and which facts came late."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

_PAID_FOR_PERIOD = """
SELECT l.member_id, l.bonus_id, SUM(l.amount) AS amount,
       MIN(CASE WHEN l.kind = 'commission' THEN l.id END) AS original_line
FROM payout_lines l JOIN commission_runs r ON r.id = l.run_id
WHERE r.company_id = :company AND r.status = 'finalized'
  AND ((l.kind = 'commission' AND r.period_key = :key)
       OR (l.kind = 'adjustment' AND l.corrects_period_key = :key))
GROUP BY l.member_id, l.bonus_id
ORDER BY l.member_id, l.bonus_id
"""

_FINGERPRINT = """
SELECT COUNT(*), COALESCE(SUM(o.id), 0) FROM orders o
LEFT JOIN orders original ON original.id = o.returns_order_id
WHERE COALESCE(original.placed_on, o.placed_on) >= :start
  AND COALESCE(original.placed_on, o.placed_on) < :end
  AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
"""

_LATE_ORDERS = """
SELECT o.order_id FROM orders o
LEFT JOIN orders original ON original.id = o.returns_order_id
WHERE COALESCE(original.placed_on, o.placed_on) >= :start
  AND COALESCE(original.placed_on, o.placed_on) < :end AND o.id > :through
ORDER BY o.id
"""


def paid_for_period(
    session: Session, company_id: int, period_key: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(member db id, bonus id, amount, original line id or -1) summed over finalized runs."""
    rows = session.execute(text(_PAID_FOR_PERIOD), {"company": company_id, "key": period_key}).all()
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(0, dtype=object), empty, empty
    member, bonus, amount, line = zip(*rows, strict=True)
    return (
        np.array(member, dtype=np.int64),
        np.array(bonus, dtype=object),
        np.array(amount, dtype=np.int64),
        np.array([-1 if v is None else v for v in line], dtype=np.int64),
    )


def orders_fingerprint(session: Session, start: date, end: date) -> tuple[int, int]:
    """(count, sum of ids) of the orders that now count in [start, end)."""
    count, total = session.execute(text(_FINGERPRINT), {"start": start, "end": end}).one()
    return int(count), int(total)


def late_order_ids(session: Session, start: date, end: date, through: int) -> list[str]:
    rows = session.execute(
        text(_LATE_ORDERS), {"start": start, "end": end, "through": through}
    ).all()
    return [row[0] for row in rows]

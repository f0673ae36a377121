"""Running period volumes: add an order's volume up the sponsor line, read progress inputs.

``add_volume`` is one statement: a recursive walk from the buyer up the sponsor tree
(one primary-key lookup per step, written as a scalar subquery so SQLite never
builds a filter over the whole members table),
upserted into ``member_period_volumes`` (PV for the buyer, group volume for the buyer
and every ancestor). Rows are locked in the same bottom-up order by every poster, so
concurrent postings do not deadlock on shared ancestors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from fairtree.dataset.arrays import Rows
from fairtree.store.repositories.bulk_load import insert_rows

_ADD_VOLUME = """
WITH RECURSIVE line(member_id, depth) AS (
  SELECT CAST(:buyer AS INTEGER), CAST(0 AS INTEGER)
  UNION ALL
  SELECT (SELECT m.sponsor_id FROM members m WHERE m.id = line.member_id), line.depth + 1
  FROM line WHERE line.member_id IS NOT NULL
)
INSERT INTO member_period_volumes (period_key, member_id, pv, group_volume)
SELECT :period, member_id, CASE WHEN depth = 0 THEN :pv ELSE 0 END, :pv
FROM line WHERE member_id IS NOT NULL ORDER BY depth
ON CONFLICT (period_key, member_id) DO UPDATE
SET pv = member_period_volumes.pv + excluded.pv,
    group_volume = member_period_volumes.group_volume + excluded.group_volume
"""

_LINE_FIGURES = """
WITH RECURSIVE line(member_id, depth) AS (
  SELECT CAST(:member AS INTEGER), CAST(0 AS INTEGER)
  UNION ALL
  SELECT (SELECT m.sponsor_id FROM members m WHERE m.id = line.member_id), line.depth + 1
  FROM line WHERE line.member_id IS NOT NULL
)
SELECT line.member_id, line.depth, mem.member_id, mem.status,
       COALESCE(v.pv, 0), COALESCE(v.group_volume, 0)
FROM line
JOIN members mem ON mem.id = line.member_id
LEFT JOIN member_period_volumes v ON v.member_id = line.member_id AND v.period_key = :period
WHERE line.member_id IS NOT NULL
ORDER BY line.depth
"""

_FRONTLINE = """
SELECT c.sponsor_id,
       SUM(CASE WHEN c.status IN :statuses AND COALESCE(v.pv, 0) >= :min_pv
                THEN 1 ELSE 0 END) AS active{capped}
FROM members c
LEFT JOIN member_period_volumes v ON v.member_id = c.id AND v.period_key = :period
WHERE c.sponsor_id IN :sponsors
GROUP BY c.sponsor_id
"""
_CAPPED = (
    ",\n       SUM(CASE WHEN COALESCE(v.group_volume, 0) < {cap} THEN COALESCE(v.group_volume, 0)"
    " ELSE {cap} END)"
)


def add_volume(session: Session, period_key: str, buyer_id: int, pv: int) -> None:
    """Add ``pv`` to the buyer's PV and to the group volume of the buyer and every ancestor."""
    session.execute(text(_ADD_VOLUME), {"period": period_key, "buyer": buyer_id, "pv": pv})


def line_figures(session: Session, period_key: str, member_id: int) -> list[Any]:
    """(db id, depth, member id, status, pv, group volume) from the member up to the root."""
    return list(session.execute(text(_LINE_FIGURES), {"period": period_key, "member": member_id}))


def frontline_summary(
    session: Session,
    period_key: str,
    sponsors: list[int],
    caps: list[int],
    min_pv: int,
    statuses: list[str],
) -> dict[int, tuple[int, dict[int, int]]]:
    """Per sponsor: active frontline members and, per cap, Σ min(leg group volume, cap).

    Aggregated in SQL over the sponsor index (a LEFT JOIN keeps SQLite from scanning the
    period's volumes), so a member with thousands of frontline members costs one query.
    """
    capped = "".join(_CAPPED.format(cap=int(cap)) for cap in caps)
    statement = text(_FRONTLINE.format(capped=capped)).bindparams(
        bindparam("sponsors", expanding=True), bindparam("statuses", expanding=True)
    )
    rows = session.execute(
        statement,
        {"period": period_key, "sponsors": sponsors, "statuses": statuses, "min_pv": min_pv},
    )
    return {
        int(row[0]): (int(row[1]), {cap: int(row[2 + i]) for i, cap in enumerate(caps)})
        for row in rows
    }


def replace_period(
    session: Session, period_key: str, member_db_ids: np.ndarray, pv: np.ndarray, gv: np.ndarray
) -> None:
    """Set a period's rows from whole arrays (after an import or to repair)."""
    session.execute(
        text("DELETE FROM member_period_volumes WHERE period_key = :period"),
        {"period": period_key},
    )
    keep = (pv != 0) | (gv != 0)
    size = int(keep.sum())
    if size:
        insert_rows(
            session,
            Rows(
                "member_period_volumes",
                {
                    "period_key": np.full(size, period_key, dtype=object),
                    "member_id": member_db_ids[keep].astype(np.int64),
                    "pv": pv[keep].astype(np.int64),
                    "group_volume": gv[keep].astype(np.int64),
                },
            ),
        )


def period_rows(session: Session, period_key: str) -> dict[int, tuple[int, int]]:
    rows = session.execute(
        text(
            "SELECT member_id, pv, group_volume FROM member_period_volumes"
            " WHERE period_key = :period"
        ),
        {"period": period_key},
    )
    return {int(m): (int(p), int(g)) for m, p, g in rows}

"""Running period volumes: post an order's volume up the sponsor line, read progress.

Every statement reads or writes O(depth) rows by primary key (the figures of the line
are scalar subqueries, so no planner estimate can turn them into a scan of the period).
Posting is three statements:
1. the sponsor line of the buyer (a recursive walk, one primary-key lookup per step);
2. one multi-row upsert of ``member_period_volumes`` for the line, in depth order,
   RETURNING the new values: PV for the buyer, group volume for everyone;
3. one multi-row upsert of ``member_period_legs`` and of the sponsor's
   ``active_frontline`` with the changes that follow from 2.
Because each row's new value comes back from its own atomic update, the changes in 3
are exact under concurrent postings; every poster locks rows bottom-up in the same
order, so parallel postings on shared ancestors do not deadlock.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fairtree.dataset.arrays import Rows
from fairtree.store.models import MemberPeriodLeg, MemberPeriodVolume
from fairtree.store.repositories.bulk.load import insert_rows

_LINE = """
WITH RECURSIVE line(member_id, depth) AS (
  SELECT CAST(:member AS INTEGER), CAST(0 AS INTEGER)
  UNION ALL
  SELECT (SELECT m.sponsor_id FROM members m WHERE m.id = line.member_id), line.depth + 1
  FROM line WHERE line.member_id IS NOT NULL
)
SELECT line.member_id, line.depth, mem.member_id, mem.status,
       COALESCE((SELECT v.pv FROM member_period_volumes v
                 WHERE v.period_key = :period AND v.member_id = line.member_id), 0),
       COALESCE((SELECT v.group_volume FROM member_period_volumes v
                 WHERE v.period_key = :period AND v.member_id = line.member_id), 0),
       COALESCE((SELECT v.active_frontline FROM member_period_volumes v
                 WHERE v.period_key = :period AND v.member_id = line.member_id), 0)
FROM line
JOIN members mem ON mem.id = line.member_id
WHERE line.member_id IS NOT NULL
ORDER BY line.depth
"""


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def sponsor_line(session: Session, period_key: str, member_id: int) -> list[Any]:
    """(db id, depth, member id, status, pv, group volume, active frontline), member first."""
    return list(session.execute(text(_LINE), {"period": period_key, "member": member_id}))


def add_volume(
    session: Session,
    period_key: str,
    line_ids: list[int],
    pv: int,
    caps: list[int],
    min_pv: int,
    buyer_counts: bool,
) -> None:
    """Add ``pv`` to the buyer (``line_ids[0]``) and every ancestor, and keep each
    ancestor's frontline aggregates (capped leg sums, active count) in step."""
    if pv == 0 or not line_ids:
        return
    table = MemberPeriodVolume.__table__
    statement = _insert(session, table).values(
        [
            {
                "period_key": period_key,
                "member_id": member,
                "pv": pv if depth == 0 else 0,
                "group_volume": pv,
                "active_frontline": 0,
            }
            for depth, member in enumerate(line_ids)
        ]
    )
    statement = statement.on_conflict_do_update(
        index_elements=["period_key", "member_id"],
        set_={
            "pv": table.c.pv + statement.excluded.pv,
            "group_volume": table.c.group_volume + statement.excluded.group_volume,
        },
    ).returning(table.c.member_id, table.c.pv, table.c.group_volume)
    new = {int(m): (int(p), int(g)) for m, p, g in session.execute(statement)}
    legs = []
    for child, parent in pairwise(line_ids):
        after = new[child][1]
        before = after - pv
        for cap in caps:
            delta = min(after, cap) - min(before, cap)
            if delta:
                legs.append(
                    {
                        "period_key": period_key,
                        "member_id": parent,
                        "cap": cap,
                        "capped_volume": delta,
                    }
                )
    if legs:
        legs_table = MemberPeriodLeg.__table__
        upsert = _insert(session, legs_table).values(legs)
        session.execute(
            upsert.on_conflict_do_update(
                index_elements=["period_key", "member_id", "cap"],
                set_={"capped_volume": legs_table.c.capped_volume + upsert.excluded.capped_volume},
            )
        )
    buyer_after = new[line_ids[0]][0]
    crossed = (buyer_after >= min_pv) != (buyer_after - pv >= min_pv)
    if buyer_counts and crossed and len(line_ids) > 1:
        change = 1 if buyer_after >= min_pv else -1
        upsert = _insert(session, table).values(
            period_key=period_key,
            member_id=line_ids[1],
            pv=0,
            group_volume=0,
            active_frontline=change,
        )
        session.execute(
            upsert.on_conflict_do_update(
                index_elements=["period_key", "member_id"],
                set_={"active_frontline": table.c.active_frontline + change},
            )
        )


def period_keys_since(session: Session, first_key: str) -> list[str]:
    """Keys of the periods from ``first_key`` on that hold running volumes."""
    rows = session.scalars(
        select(MemberPeriodVolume.period_key)
        .where(MemberPeriodVolume.period_key >= first_key)
        .distinct()
    )
    return sorted(str(key) for key in rows)


def capped_legs(
    session: Session, period_key: str, member_ids: list[int]
) -> dict[int, dict[int, int]]:
    """member -> {cap: Σ min(leg group volume, cap)} for the given members."""
    rows = session.execute(
        select(MemberPeriodLeg.member_id, MemberPeriodLeg.cap, MemberPeriodLeg.capped_volume)
        .where(MemberPeriodLeg.period_key == period_key)
        .where(MemberPeriodLeg.member_id.in_(bindparam("members", expanding=True))),
        {"members": member_ids},
    )
    out: dict[int, dict[int, int]] = {}
    for member, cap, value in rows:
        out.setdefault(int(member), {})[int(cap)] = int(value)
    return out


def replace_period(
    session: Session,
    period_key: str,
    member_db_ids: np.ndarray,
    pv: np.ndarray,
    group_volume: np.ndarray,
    active_frontline: np.ndarray,
    legs: dict[int, np.ndarray],
) -> None:
    """Set a period's rows from whole arrays (after an import, or to repair)."""
    for table in ("member_period_volumes", "member_period_legs"):
        session.execute(
            text(f"DELETE FROM {table} WHERE period_key = :period"),  # noqa: S608 - fixed names
            {"period": period_key},
        )
    keep = (pv != 0) | (group_volume != 0) | (active_frontline != 0)
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
                    "group_volume": group_volume[keep].astype(np.int64),
                    "active_frontline": active_frontline[keep].astype(np.int64),
                },
            ),
        )
    for cap, values in sorted(legs.items()):
        rows = np.flatnonzero(values)
        if rows.size:
            insert_rows(
                session,
                Rows(
                    "member_period_legs",
                    {
                        "period_key": np.full(rows.size, period_key, dtype=object),
                        "member_id": member_db_ids[rows].astype(np.int64),
                        "cap": np.full(rows.size, cap, dtype=np.int64),
                        "capped_volume": values[rows].astype(np.int64),
                    },
                ),
            )


def period_rows(session: Session, period_key: str) -> dict[int, tuple[int, int, int]]:
    """member -> (pv, group volume, active frontline) of a period."""
    rows = session.execute(
        select(
            MemberPeriodVolume.member_id,
            MemberPeriodVolume.pv,
            MemberPeriodVolume.group_volume,
            MemberPeriodVolume.active_frontline,
        ).where(MemberPeriodVolume.period_key == period_key)
    )
    return {int(m): (int(p), int(g), int(a)) for m, p, g, a in rows}


def period_legs(session: Session, period_key: str) -> dict[tuple[int, int], int]:
    """(member, cap) -> capped leg sum of a period (non-zero rows)."""
    rows = session.execute(
        select(MemberPeriodLeg.member_id, MemberPeriodLeg.cap, MemberPeriodLeg.capped_volume)
        .where(MemberPeriodLeg.period_key == period_key)
        .where(MemberPeriodLeg.capped_volume != 0)
    )
    return {(int(m), int(c)): int(v) for m, c, v in rows}

"""The downline report: every member below the viewer with level, paid-as rank and period
volumes; filtered (new this period, inactive, close to the next rank), sorted and paged
over whole-downline arrays (numpy, no loop over members); CSV of pay-relevant fields only.

"Close to the next rank" compares group volume with the smallest group-volume condition
of the plan's ranks above what the member's group volume already meets: within
``CLOSE_SHARE`` percent of it. Contact data is never part of this report.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.money import format_points
from fairtree.periods import Period
from fairtree.services.access.access_log import log_reads
from fairtree.services.access.authorization import DataKind
from fairtree.services.access.principal import Principal
from fairtree.services.commissions.period_plan import plan_on
from fairtree.services.network.ranks import paid_as_names
from fairtree.store.models import Member
from fairtree.store.repositories.network import tree_levels

FILTERS = ("new", "inactive", "close")
SORTS = ("name", "id", "level", "pv", "gv", "joined", "status")
CLOSE_SHARE = 75  # percent of the next group-volume threshold
CSV_COLUMNS = [
    "member_id",
    "display_name",
    "level",
    "status",
    "joined_on",
    "paid_as_rank",
    "pv",
    "gv",
]


@dataclass(frozen=True)
class DownlineMember:
    member_id: str
    display_name: str
    level: int
    status: str
    joined_on: date
    rank: str | None
    pv: int
    gv: int


@dataclass(frozen=True)
class DownlinePage:
    period: str
    rows: list[DownlineMember]
    total: int  # after the filter
    downline: int  # everyone below


def _thresholds(session: Session, period: Period) -> tuple[int, np.ndarray]:
    try:
        plan = plan_on(session, period.start)
    except NotFoundError:
        return 0, np.zeros(0, dtype=np.int64)
    gvs = sorted({int(r.conditions.group_volume) for r in plan.ranks if r.conditions.group_volume})
    return int(plan.activity.min_pv), np.array(gvs, dtype=np.int64)


def _selected(session: Session, columns: dict, period: Period, chosen: set[str]) -> np.ndarray:  # type: ignore[type-arg]
    count = len(columns["pk"])
    keep = np.ones(count, dtype=bool)
    if not chosen or count == 0:
        return keep
    pv = np.asarray(columns["pv"], dtype=np.int64)
    gv = np.asarray(columns["gv"], dtype=np.int64)
    active = np.asarray(columns["status"], dtype=object) == "active"
    min_pv, thresholds = _thresholds(session, period)
    if "new" in chosen:
        joined = np.asarray(columns["joined_on"], dtype="datetime64[D]")
        keep &= (joined >= np.datetime64(period.start)) & (joined < np.datetime64(period.end))
    if "inactive" in chosen:
        keep &= ~active | (pv < min_pv)
    if "close" in chosen:
        if thresholds.size == 0:
            keep &= False
        else:
            step = np.searchsorted(thresholds, gv, side="right")  # next threshold not yet met
            has_next = step < thresholds.size
            target = thresholds[np.minimum(step, thresholds.size - 1)]
            keep &= has_next & (gv * 100 >= target * CLOSE_SHARE)
    return keep


def _order(columns: dict, index: np.ndarray, sort: str, descending: bool) -> np.ndarray:  # type: ignore[type-arg]
    keys = {
        "name": "display_name",
        "id": "member_id",
        "level": "depth",
        "pv": "pv",
        "gv": "gv",
        "joined": "joined_on",
        "status": "status",
    }
    values = np.asarray(columns[keys.get(sort, "display_name")], dtype=object)[index]
    if sort in ("name", "id", "status"):
        values = np.array([str(v).lower() for v in values], dtype=object)
    order = np.argsort(values, kind="stable")
    return index[order[::-1] if descending else order]


def downline_page(
    session: Session,
    reader: Principal,
    viewer: Member,
    period: Period,
    filters: set[str],
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> DownlinePage:
    columns = tree_levels.downline_arrays(session, viewer.id, period.key)
    index = np.flatnonzero(_selected(session, columns, period, filters & set(FILTERS)))
    ordered = _order(columns, index, sort, descending)
    shown = ordered[offset : offset + limit] if limit else ordered
    rows = _rows(session, columns, shown, period)
    log_reads(
        session,
        reader,
        [(int(columns["pk"][i]), "downline report") for i in shown],
        DataKind.TEAM,
        None,
    )
    return DownlinePage(period.key, rows, int(index.size), len(columns["pk"]))


def _rows(
    session: Session, columns: dict, shown: np.ndarray, period: Period
) -> list[DownlineMember]:  # type: ignore[type-arg]
    pks = [int(columns["pk"][i]) for i in shown]
    ranks = paid_as_names(session, period.key, pks)
    return [
        DownlineMember(
            str(columns["member_id"][i]),
            str(columns["display_name"][i]),
            int(columns["depth"][i]),
            str(columns["status"][i]),
            columns["joined_on"][i],
            ranks.get(pk),
            int(columns["pv"][i]),
            int(columns["gv"][i]),
        )
        for i, pk in zip(shown.tolist(), pks, strict=True)
    ]


def downline_csv(page: DownlinePage) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in page.rows:
        writer.writerow(
            [
                row.member_id,
                _safe(row.display_name),
                row.level,
                row.status,
                row.joined_on.isoformat(),
                row.rank or "",
                format_points(row.pv),
                format_points(row.gv),
            ]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

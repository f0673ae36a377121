"""PV and GV of a downline in a period, counted by the rule the close uses.

Every page, endpoint and command that shows a member's volume (dashboard, team, tree,
CLI ``tree``) reads it here, so none can drift from what the close pays on:
- the orders are those the close reads (a return counts in its order's period,
  ``counts_on``), credited as the close credits them;
- the plan in force at the period's start says which figure is PV (``pv_from``) and
  whether retail customers' orders count (``customer_orders``);
- PV is ``engine.evaluate.personal_volume`` (net, never below zero) and GV its subtree
  sum over the sponsor tree as it stood on the period's last day, as in the close
  (whatever tree is shown: today's, or the one of an ``--as-of`` date).
Set-based: a query per tree, one grouped query for the order totals, prefix sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from fairtree.engine.evaluate import personal_volume
from fairtree.errors import NotFoundError
from fairtree.genealogy.tree import Tree, build_tree
from fairtree.periods import Period
from fairtree.plans.schema import Volumes
from fairtree.services.commissions.period_plan import period_of, plan_on
from fairtree.store.repositories.network import volumes as volumes_repo


@dataclass(frozen=True)
class DownlineVolumes:
    """A downline in ascending ``member_pk`` order; ``parent`` indexes these arrays
    (-1 for the root), ``tree`` is built over ``parent``; volumes in hundredths."""

    member_pk: np.ndarray
    sponsor_pk: np.ndarray
    depth: np.ndarray
    parent: np.ndarray
    tree: Tree
    pv: np.ndarray
    gv: np.ndarray


def volume_rules(session: Session, period: Period) -> Volumes:
    """The volume rules of the plan in force at the period's start (defaults before any
    plan: nothing is paid then, and volumes still show)."""
    try:
        return plan_on(session, period.start).volumes
    except NotFoundError:
        return Volumes()


def member_pv_between(session: Session, member_pk: int, starts_on: date, ends_on: date) -> int:
    """A member's PV over [starts_on, ends_on) by the close's rule, period by period:
    each period's part counted under that period's plan and never below zero, as the
    close counts it (a goal's progress, which may span several periods)."""
    if ends_on <= starts_on:
        return 0
    total = 0
    period = period_of(session, starts_on)
    while period.start < ends_on:
        found = volumes_repo.member_order_totals(
            session, member_pk, max(starts_on, period.start), min(ends_on, period.end)
        )
        if found["pv"].size:
            total += int(
                personal_volume(
                    volume_rules(session, period),
                    1,
                    np.zeros(found["pv"].size, dtype=np.int64),
                    found["from_customer"],
                    found["pv"],
                    found["bv"],
                )[0]
            )
        period = period_of(session, period.end)
    return total


def last_day(period: Period) -> date:
    return period.end - timedelta(days=1)


# A downline up to this size reads only its own members' order totals (an index range
# per member); a bigger one reads the whole period's in one grouped scan, once per call.
OWN_TOTALS_UP_TO = 2000


class _PeriodTotals:
    """Order totals of the period for the members of one tree at a time: a small tree's
    own (most team views are of a few dozen members), else the whole period's, read once
    and shared by every tree of the call."""

    def __init__(self, session: Session, period: Period) -> None:
        self.session, self.period = session, period
        self.whole: dict[str, np.ndarray] | None = None

    def of(self, member_pk: np.ndarray) -> dict[str, np.ndarray]:
        if member_pk.size <= OWN_TOTALS_UP_TO:
            return volumes_repo.period_order_totals(self.session, self.period, member_pk)
        if self.whole is None:
            self.whole = volumes_repo.period_order_totals(self.session, self.period)
        return self.whole


def _close_figures(
    session: Session, top_pk: int, period: Period, totals_of: _PeriodTotals, rules: Volumes
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(member pks ascending, PV, GV) of ``top_pk``'s downline on the period's last day."""
    found = volumes_repo.downline_tree(session, top_pk, last_day(period))
    member_pk, sponsor_pk = found["member_pk"], found["sponsor_pk"]
    parent = np.where(sponsor_pk >= 0, np.searchsorted(member_pk, sponsor_pk), -1)
    tree = build_tree(parent)
    totals = totals_of.of(member_pk)
    at = np.searchsorted(member_pk, totals["member_pk"])
    inside = at < member_pk.size
    inside[inside] = member_pk[at[inside]] == totals["member_pk"][inside]
    pv = personal_volume(
        rules,
        member_pk.size,
        at[inside],
        totals["from_customer"][inside],
        totals["pv"][inside],
        totals["bv"][inside],
    )
    gv = np.empty_like(pv)
    gv[tree.order] = tree.subtree_sum(pv[tree.order])
    return member_pk, pv, gv


def downline_volumes(
    session: Session, root_pk: int, period: Period, on: date | None = None
) -> DownlineVolumes:
    """``root_pk`` and its whole downline, now (or as of ``on``), with each member's PV
    and GV in ``period`` as the close counts them.

    The figures are those of the period's own tree (its last day). A member shown here
    who sat elsewhere then (moved in later) gets the figures of where they were; one who
    was not in the network yet shows none.
    """
    shown = volumes_repo.downline_tree(session, root_pk, on)
    member_pk, sponsor_pk = shown["member_pk"], shown["sponsor_pk"]
    parent = np.where(sponsor_pk >= 0, np.searchsorted(member_pk, sponsor_pk), -1)
    tree = build_tree(parent)
    totals = _PeriodTotals(session, period)
    rules = volume_rules(session, period)
    pv = np.zeros(member_pk.size, dtype=np.int64)
    gv = np.zeros(member_pk.size, dtype=np.int64)
    missing = np.ones(member_pk.size, dtype=bool)
    tops = [root_pk]
    while tops:
        for top in tops:
            then_pk, then_pv, then_gv = _close_figures(session, top, period, totals, rules)
            at = np.searchsorted(member_pk, then_pk)
            inside = at < member_pk.size
            inside[inside] = member_pk[at[inside]] == then_pk[inside]
            rows = at[inside]
            pv[rows], gv[rows] = then_pv[inside], then_gv[inside]
            missing[rows] = False
        # Shown members the tops' trees did not hold: those in the network then moved
        # in later. Each whose shown sponsor was figured is the top of a moved subtree.
        present = volumes_repo.present_on(session, member_pk[missing], last_day(period))
        then = np.fromiter(present, dtype=np.int64, count=len(present))
        candidates = np.flatnonzero(missing & np.isin(member_pk, then))
        tops = [
            int(member_pk[i])
            for i in candidates
            if parent[i] < 0 or not missing[parent[i]] or member_pk[parent[i]] not in present
        ]
    return DownlineVolumes(member_pk, sponsor_pk, shown["depth"], parent, tree, pv, gv)


def member_volume(session: Session, member_pk: int, period: Period) -> tuple[int, int]:
    """(PV, GV) of one member in ``period``."""
    found = downline_volumes(session, member_pk, period)
    root = int(np.flatnonzero(found.member_pk == member_pk)[0])
    return int(found.pv[root]), int(found.gv[root])

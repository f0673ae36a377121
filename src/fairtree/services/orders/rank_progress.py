"""Live rank progress: keep period volumes current, say what is missing.

Orders come in through ``services.order_intake``, which adds each order's volume to the
buyer's period PV and to the group volume of the buyer and every upline member
(``store.repositories.running_volumes.add_volume``) in the order's transaction;
``post_order`` here is the short form for a member's order. ``line_progress`` then reads
the member and every ancestor with their frontline figures in two queries and applies
the plan's next rank conditions (``engine.rank_progress``). ``rebuild_period_volumes``
computes the same figures from the stored orders. None of them commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from fairtree.engine.context import statuses_allowed
from fairtree.engine.evaluate import counted_pv
from fairtree.engine.inputs import STATUS_CODES
from fairtree.engine.rank_progress import LiveFigures, RankProgress, leg_caps, rank_progress
from fairtree.errors import NotFoundError
from fairtree.genealogy.tree import build_tree
from fairtree.periods import Period
from fairtree.plans.schema import Plan
from fairtree.services.commissions.period_plan import period_finalized, period_of, plan_on
from fairtree.services.network.ranks import held_rank_names
from fairtree.services.orders import order_intake
from fairtree.services.orders.order_intake import NewLine
from fairtree.store.repositories.bulk import engine_arrays
from fairtree.store.repositories.network.members import member_by_external_id
from fairtree.store.repositories.orders import running_volumes as volumes

__all__ = [
    "MemberProgress",
    "NewLine",
    "line_progress",
    "period_figures",
    "period_of",
    "plan_on",
    "post_order",
    "rebuild_period_volumes",
    "refresh_after_tree_change",
]


@dataclass(frozen=True)
class MemberProgress:
    member_id: str
    depth: int  # 0 = the member asked about, 1 = their sponsor, ...
    pv: int
    group_volume: int
    progress: RankProgress


def post_order(
    session: Session, order_id: str, buyer: str, placed_on: date, lines: list[NewLine]
) -> int:
    """Post a member's order at member prices (``order_intake.record``); its row id."""
    request = order_intake.OrderRequest(
        order_id, placed_on, buyer_member_id=buyer, lines=tuple(lines)
    )
    return order_intake.record(session, request)[0].id


def line_progress(
    session: Session, member_id: str, day: date, upline: bool = True
) -> list[MemberProgress]:
    """Rank progress of the member and every upline member in the period of ``day``.

    Queries of O(depth) rows: the sponsor line with its running figures, the capped leg
    sums of those members and the rank each holds (paid as in the last finalized
    period), which the next rank is counted from.
    """
    found = member_by_external_id(session, member_id)
    if found is None:
        raise NotFoundError(f"no member {member_id!r}")
    member = found.id
    period = period_of(session, day)
    plan = plan_on(session, period.start)
    allowed = statuses_allowed(plan)
    line = volumes.sponsor_line(session, period.key, member)
    if not upline:
        line = line[:1]  # the member alone: no leg sums or progress for the upline
    line_pks = [int(r[0]) for r in line]
    legs = volumes.capped_legs(session, period.key, line_pks)
    held = held_rank_names(session, period.start, line_pks)
    result = []
    for db_id, depth, name, status, pv, gv, active in line:
        figures = LiveFigures(
            pv=int(pv),
            group_volume=int(gv),
            capped_legs=legs.get(int(db_id), {}),
            active_frontline=int(active),
            status_allowed=bool(allowed[STATUS_CODES[status]]),
        )
        result.append(
            MemberProgress(
                str(name),
                int(depth),
                int(pv),
                int(gv),
                rank_progress(plan, figures, held.get(int(db_id))),
            )
        )
    return result


def rebuild_period_volumes(session: Session, period_key: str) -> int:
    """Recompute a period's running volumes from its orders, set-based (after an import).

    Returns how many members have volume. Uses the same loader and tree arithmetic as
    the close, so live volumes and the close agree.
    """
    period = Period.parse(period_key)
    plan = plan_on(session, period.start)
    facts = engine_arrays.load_period_facts(session, period, placement=False)
    orders = facts.inputs.orders
    pv = np.zeros(len(facts.inputs.members), dtype=np.int64)
    np.add.at(pv, orders.buyer, counted_pv(plan, orders.from_customer, orders.pv, orders.bv))
    group, frontline, legs = period_figures(
        plan, facts.inputs.members.sponsor, facts.inputs.members.status, pv
    )
    volumes.replace_period(session, period.key, facts.member_db_ids, pv, group, frontline, legs)
    return int(((pv != 0) | (group != 0) | (frontline != 0)).sum())


def refresh_after_tree_change(session: Session, effective_on: date) -> list[str]:
    """Rebuild the running volumes of every period a tree change from ``effective_on``
    reaches (its own period and every later one holding volumes), except finalized ones.

    Posting adds an order's volume to the sponsor line of the moment; a move or a
    termination changes that line for the rest of the period, and the close counts
    group volume over the tree of the period's last day. Rebuilding with the close's
    loader keeps live progress equal to what the close will pay on. Returns the keys.
    """
    first = period_of(session, effective_on)
    keys = sorted({first.key, *volumes.period_keys_since(session, first.key)})
    rebuilt = []
    for key in keys:
        period = Period.parse(key)
        if period_finalized(session, period):
            continue
        try:
            plan_on(session, period.start)
        except NotFoundError:
            continue  # nothing counts before a plan is in force
        rebuild_period_volumes(session, key)
        rebuilt.append(key)
    return rebuilt


def period_figures(
    plan: Plan, sponsor: np.ndarray, status: np.ndarray, pv: np.ndarray
) -> tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    """Group volume, active frontline count and capped leg sums of every member, from
    each member's PV (input order), by prefix sums over the sponsor tree."""
    tree = build_tree(sponsor)
    order = tree.order
    group = np.empty_like(pv)
    group[order] = tree.subtree_sum(pv[order])
    active = statuses_allowed(plan)[status] & (pv >= plan.activity.min_pv)
    frontline = np.empty_like(pv)
    frontline[order] = tree.children_sum(active[order])
    legs = {}
    for cap in leg_caps(plan):
        capped = np.empty_like(pv)
        capped[order] = tree.children_sum(np.minimum(group[order], cap))
        legs[cap] = capped
    return group, frontline, legs

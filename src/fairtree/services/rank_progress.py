"""Live rank progress: post an order, keep period volumes current, say what is missing.

``post_order`` writes the order and, in the same transaction, adds its PV to the
buyer's period PV and to the group volume of the buyer and every upline member
(``store.repositories.running_volumes.add_volume``). ``line_progress`` then reads the member and
every ancestor with their frontline figures in two queries and applies the plan's next
rank conditions (``engine.rank_progress``). Neither commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.engine.context import statuses_allowed
from fairtree.engine.inputs import STATUS_CODES
from fairtree.engine.rank_progress import LiveFigures, RankProgress, leg_caps, rank_progress
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.genealogy.tree import build_tree
from fairtree.periods import Period, PeriodKind
from fairtree.plans.schema import Plan
from fairtree.services.close import plan_document
from fairtree.store.models import Member, Order, OrderLine, Product
from fairtree.store.repositories import engine_arrays, runs
from fairtree.store.repositories import running_volumes as volumes
from fairtree.store.repositories.orders import record_order


@dataclass(frozen=True)
class NewLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class MemberProgress:
    member_id: str
    depth: int  # 0 = the member asked about, 1 = their sponsor, ...
    pv: int
    group_volume: int
    progress: RankProgress


def period_of(session: Session, day: date) -> Period:
    company = runs.the_company(session)
    return Period.containing(day, PeriodKind(company.period_kind))


def plan_on(session: Session, day: date) -> Plan:
    """The plan in force on ``day`` (looked up once per session and day)."""
    cache = session.info.setdefault("fairtree.plan_on", {})
    if day not in cache:
        company = runs.the_company(session)
        version = runs.plan_in_force(session, company.id, day)
        if version is None:
            raise NotFoundError(f"no plan version is in force on {day}")
        cache[day] = plan_document(version).for_date(day)
    return cache[day]


def post_order(
    session: Session, order_id: str, buyer: str, placed_on: date, lines: list[NewLine]
) -> int:
    """Record a member's order at member prices and update the period volumes."""
    member = session.scalar(select(Member).where(Member.member_id == buyer))
    if member is None:
        raise NotFoundError(f"order {order_id}: no member {buyer!r}")
    skus = {line.sku for line in lines}
    products = {
        p.sku: p
        for p in session.scalars(
            select(Product).where(Product.sku.in_(skus), Product.country == member.country)
        )
    }
    problems = [
        Problem(
            "order", f"{order_id} line {n}", "sku", f"no product {line.sku!r} in {member.country}"
        )
        for n, line in enumerate(lines, start=1)
        if line.sku not in products
    ] + [
        Problem("order", f"{order_id} line {n}", "quantity", "must be greater than zero")
        for n, line in enumerate(lines, start=1)
        if line.quantity <= 0
    ]
    if problems:
        raise ValidationError(problems)
    order = Order(
        order_id=order_id,
        kind="order",
        placed_on=placed_on,
        buyer_member_id=member.id,
        country=member.country,
        currency=products[lines[0].sku].currency,
    )
    plan = plan_on(session, placed_on)
    volume = 0
    rows = []
    for number, line in enumerate(lines, start=1):
        product = products[line.sku]
        rows.append(
            OrderLine(
                line_no=number,
                product_id=product.id,
                quantity=line.quantity,
                unit_price=product.member_price,
                pv=product.pv,
                bv=product.bv,
            )
        )
        if product.commissionable:
            per_unit = product.pv if plan.volumes.pv_from == "pv" else product.bv
            volume += line.quantity * per_unit
    record_order(session, order, rows)
    if volume:
        period = period_of(session, placed_on)
        period_plan = plan_on(session, period.start)
        line = volumes.sponsor_line(session, period.key, member.id)
        allowed = statuses_allowed(period_plan)[STATUS_CODES[member.status]]
        volumes.add_volume(
            session,
            period.key,
            [int(row[0]) for row in line],
            volume,
            leg_caps(period_plan),
            period_plan.activity.min_pv,
            buyer_counts=bool(allowed),
        )
    return order.id


def line_progress(
    session: Session, member_id: str, day: date, upline: bool = True
) -> list[MemberProgress]:
    """Rank progress of the member and every upline member in the period of ``day``.

    Two queries of O(depth) rows: the sponsor line with its running figures, and the
    capped leg sums of those members.
    """
    member = session.scalar(select(Member.id).where(Member.member_id == member_id))
    if member is None:
        raise NotFoundError(f"no member {member_id!r}")
    period = period_of(session, day)
    plan = plan_on(session, period.start)
    allowed = statuses_allowed(plan)
    line = volumes.sponsor_line(session, period.key, member)
    if not upline:
        line = line[:1]  # the member alone: no leg sums or progress for the upline
    legs = volumes.capped_legs(session, period.key, [int(r[0]) for r in line])
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
            MemberProgress(str(name), int(depth), int(pv), int(gv), rank_progress(plan, figures))
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
    keep = ~orders.from_customer if plan.volumes.customer_orders == "none" else slice(None)
    source = orders.pv if plan.volumes.pv_from == "pv" else orders.bv
    pv = np.zeros(len(facts.inputs.members), dtype=np.int64)
    np.add.at(pv, orders.buyer[keep], source[keep])
    group, frontline, legs = period_figures(
        plan, facts.inputs.members.sponsor, facts.inputs.members.status, pv
    )
    volumes.replace_period(session, period.key, facts.member_db_ids, pv, group, frontline, legs)
    return int(((pv != 0) | (group != 0) | (frontline != 0)).sum())


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

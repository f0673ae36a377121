"""Evaluate a plan over one period: inputs + plan in, Evaluation out. Pure."""

from __future__ import annotations

import numba
import numpy as np

from fairtree.engine.context import Context, PeriodOrders, statuses_allowed
from fairtree.engine.inputs import CarryState, EngineInput
from fairtree.engine.qualifying_order import placed_qualifying_order
from fairtree.engine.ranks import evaluate_ranks
from fairtree.engine.registry import get_kind, registered_kinds
from fairtree.engine.result import BonusOutcome, Evaluation
from fairtree.errors import PlanError, Problem
from fairtree.genealogy.tree import Tree, build_tree, sum_into
from fairtree.periods import Period
from fairtree.plans.load import PlanDocument
from fairtree.plans.schema import Plan, Volumes
from fairtree.plans.validation import evaluation_order


def resolve_plan(plan: Plan | PlanDocument, period: Period) -> Plan:
    """The plan version in force on the period's first day."""
    return plan.for_date(period.start) if isinstance(plan, PlanDocument) else plan


def check_kinds(plan: Plan, source: str = "plan") -> None:
    """Refuse, before any run, a plan naming a bonus kind the engine cannot evaluate."""
    problems = [
        Problem(
            source,
            f"bonuses[{i}].kind",
            "kind",
            f"bonus kind {bonus.kind!r} has no engine implementation "
            f"(available: {', '.join(registered_kinds())})",
        )
        for i, bonus in enumerate(plan.bonuses)
        if get_kind(bonus.kind) is None
    ]
    if problems:
        raise PlanError(problems)


def counted_pv(plan: Plan, from_customer: np.ndarray, pv: np.ndarray, bv: np.ndarray) -> np.ndarray:
    """What each order adds to its buyer's PV under the plan's volume rules (the live
    figures and their rebuild count it so; ``member_volumes`` selects the same orders)."""
    return counted_by(plan.volumes, from_customer, pv, bv)


def counted_by(
    rules: Volumes, from_customer: np.ndarray, pv: np.ndarray, bv: np.ndarray
) -> np.ndarray:
    """``counted_pv`` under the volume rules alone (``Volumes()`` before any plan)."""
    source = {"pv": pv, "bv": bv}[rules.pv_from]
    if rules.customer_orders == "none":
        return np.where(from_customer, 0, source)
    return source


def personal_volume(
    rules: Volumes,
    size: int,
    buyer: np.ndarray,
    from_customer: np.ndarray,
    pv: np.ndarray,
    bv: np.ndarray,
) -> np.ndarray:
    """Net PV of ``size`` members from their period's orders (``buyer`` = member index):
    the plan's volume rules (``counted_pv``), returns subtracting, never below zero.
    Every surface that shows a member's PV or GV counts it with this (and GV is the
    subtree sum of it over the period's sponsor tree)."""
    total = sum_into(buyer, counted_by(rules, from_customer, pv, bv), size)
    return np.maximum(total, 0, out=total)


def member_volumes(
    plan: Plan, inputs: EngineInput, tree: Tree, period: Period
) -> tuple[PeriodOrders, np.ndarray, np.ndarray]:
    """Period orders in preorder terms and net PV/BV per member (never below zero)."""
    orders = inputs.orders
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    keep = (orders.placed_on >= start) & (orders.placed_on < end)
    if plan.volumes.customer_orders == "none":
        keep &= ~orders.from_customer
    rows = np.flatnonzero(keep)

    def period_rows(column: np.ndarray) -> np.ndarray:
        # every order in the period (the usual case for a close): no copy
        return column if rows.shape[0] == len(orders) else column[rows]

    raw = {"pv": period_rows(orders.pv), "bv": period_rows(orders.bv)}
    pv_orders, bv_orders = raw[plan.volumes.pv_from], raw[plan.volumes.bv_from]
    buyer = tree.position[period_rows(orders.buyer)]
    period_orders = PeriodOrders(
        index=rows,
        buyer=buyer,
        from_customer=period_rows(orders.from_customer),
        placed_on=period_rows(orders.placed_on),
        pv=pv_orders,
        bv=bv_orders,
        kind=None if orders.kind is None else period_rows(orders.kind),
    )
    pv = personal_volume(
        plan.volumes, tree.size, buyer, period_orders.from_customer, raw["pv"], raw["bv"]
    )
    bv = sum_into(buyer, bv_orders, tree.size)
    return period_orders, pv, np.maximum(bv, 0, out=bv)


def carried_in(carry_in: CarryState | None, order: np.ndarray) -> CarryState:
    """The carry-in in preorder; none (a first period) is zeros, without a gather."""
    if carry_in is None:
        return CarryState.empty(order.shape[0])
    return CarryState(
        highest_rank=carry_in.highest_rank[order],
        values={key: value[order] for key, value in carry_in.values.items()},
    )


@numba.njit(cache=True)
def _subtree_sums_kernel(parent, out):  # pragma: no cover - compiled
    for i in range(out.shape[0] - 1, -1, -1):  # children after parents in preorder
        if parent[i] >= 0:
            out[parent[i]] += out[i]


def subtree_sums(tree: Tree, values: np.ndarray) -> np.ndarray:
    """``tree.subtree_sum(values)`` (values in preorder) by one descending compiled pass
    into a copy of ``values``: no prefix-sum array beside the result."""
    out = np.array(values, dtype=np.int64)  # numpy's allocations take huge pages
    _subtree_sums_kernel(tree.parent, out)
    return out


def build_context(
    inputs: EngineInput, plan: Plan, period: Period, tree: Tree | None = None
) -> Context:
    members = inputs.members
    tree = tree if tree is not None else build_tree(members.sponsor, ids=members.ids)
    order = tree.order
    status = members.status[order]
    period_orders, pv, bv = member_volumes(plan, inputs, tree, period)
    active = statuses_allowed(plan)[status] & (pv >= plan.activity.min_pv)
    if plan.activity.qualifying_order is not None:
        active &= placed_qualifying_order(period_orders, tree.size, plan.activity.qualifying_order)
    group_volume = subtree_sums(tree, pv)
    paid_as = evaluate_ranks(plan, tree, pv, group_volume, active, period_orders)
    carry_in = carried_in(inputs.carry_in, order)
    highest = np.maximum(carry_in.highest_rank, paid_as).astype(np.int16)
    return Context(
        plan=plan,
        period=period,
        inputs=inputs,
        tree=tree,
        status=status,
        orders=period_orders,
        pv=pv,
        bv=bv,
        active=active,
        group_volume=group_volume,
        paid_as=paid_as,
        highest=highest,
        carry_in=carry_in,
    )


def run_bonuses(ctx: Context) -> dict[str, BonusOutcome]:
    """Every bonus in dependency order; outcomes in preorder."""
    outcomes: dict[str, BonusOutcome] = {}
    for bonus_id in evaluation_order(ctx.plan):
        config = ctx.plan.bonus(bonus_id)
        kind = get_kind(config.kind)
        assert kind is not None
        outcome = kind.evaluate(ctx, config)
        outcomes[bonus_id] = outcome
        ctx.pay_of[bonus_id] = outcome.pay
    return outcomes


def evaluate(
    inputs: EngineInput,
    plan: Plan | PlanDocument,
    period: Period,
    tree: Tree | None = None,
) -> Evaluation:
    """Evaluate ``plan`` over ``period``; ``tree`` may be passed when already built."""
    resolved = resolve_plan(plan, period)
    check_kinds(resolved, plan.source if isinstance(plan, PlanDocument) else "plan")
    ctx = build_context(inputs, resolved, period, tree)
    return to_evaluation(ctx, run_bonuses(ctx))


def to_evaluation(ctx: Context, outcomes: dict[str, BonusOutcome]) -> Evaluation:
    """Wrap preorder results; they are put in input order when first read."""
    carry_values = {
        f"{bonus_id}.{key}": value
        for bonus_id, outcome in outcomes.items()
        for key, value in outcome.carry_out.items()
    }
    return Evaluation(
        member_ids=ctx.inputs.members.ids,
        bonus_ids=tuple(bonus.id for bonus in ctx.plan.bonuses),
        outcomes=outcomes,
        paid_as=ctx.paid_as,
        highest=ctx.highest,
        active=ctx.active,
        pv=ctx.pv,
        bv=ctx.bv,
        group_volume=ctx.group_volume,
        carry_out=CarryState(highest_rank=ctx.highest, values=carry_values),
        rank_names=tuple(rank.name for rank in ctx.plan.ranks),
        back=ctx.tree.position,
    )

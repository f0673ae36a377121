"""Evaluate a plan over one period: inputs + plan in, Evaluation out. Pure."""

from __future__ import annotations

import dataclasses

import numpy as np

from fairtree.engine.context import Context, PeriodOrders, statuses_allowed
from fairtree.engine.inputs import CarryState, EngineInput
from fairtree.engine.ranks import evaluate_ranks
from fairtree.engine.registry import get_kind, registered_kinds
from fairtree.engine.result import BonusOutcome, Evaluation
from fairtree.errors import PlanError, Problem
from fairtree.genealogy.tree import Tree, build_tree
from fairtree.periods import Period
from fairtree.plans.load import PlanDocument
from fairtree.plans.schema import Plan
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
    raw = {"pv": orders.pv[rows], "bv": orders.bv[rows]}
    pv_orders, bv_orders = raw[plan.volumes.pv_from], raw[plan.volumes.bv_from]
    buyer = tree.position[orders.buyer[rows]]
    period_orders = PeriodOrders(
        index=rows,
        buyer=buyer,
        from_customer=orders.from_customer[rows],
        placed_on=orders.placed_on[rows],
        pv=pv_orders,
        bv=bv_orders,
    )
    pv = np.zeros(tree.size, dtype=np.int64)
    bv = np.zeros(tree.size, dtype=np.int64)
    np.add.at(pv, buyer, pv_orders)
    np.add.at(bv, buyer, bv_orders)
    return period_orders, np.maximum(pv, 0), np.maximum(bv, 0)


def build_context(
    inputs: EngineInput, plan: Plan, period: Period, tree: Tree | None = None
) -> Context:
    members = inputs.members
    tree = tree if tree is not None else build_tree(members.sponsor, ids=members.ids)
    order = tree.order
    status = members.status[order]
    period_orders, pv, bv = member_volumes(plan, inputs, tree, period)
    active = statuses_allowed(plan)[status] & (pv >= plan.activity.min_pv)
    group_volume = tree.subtree_sum(pv)
    paid_as = evaluate_ranks(plan, tree, pv, group_volume, active)
    carry_in = inputs.carry_in or CarryState.empty(len(members))
    highest = np.maximum(carry_in.highest_rank[order], paid_as).astype(np.int16)
    return Context(
        plan=plan,
        period=period,
        inputs=inputs,
        tree=tree,
        status=status,
        joined_on=members.joined_on[order],
        orders=period_orders,
        pv=pv,
        bv=bv,
        active=active,
        group_volume=group_volume,
        paid_as=paid_as,
        highest=highest,
        carry_in=CarryState(
            highest_rank=carry_in.highest_rank[order],
            values={key: value[order] for key, value in carry_in.values.items()},
        ),
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
    """Map preorder results back to input order."""
    back = ctx.tree.position  # input index -> preorder position
    carry_values: dict[str, np.ndarray] = {}
    mapped: dict[str, BonusOutcome] = {}
    for bonus_id, outcome in outcomes.items():
        mapped[bonus_id] = dataclasses.replace(
            outcome,
            pay=outcome.pay[back],
            carry_out={k: v[back] for k, v in outcome.carry_out.items()},
        )
        for key, value in outcome.carry_out.items():
            carry_values[f"{bonus_id}.{key}"] = value[back]
    return Evaluation(
        member_ids=ctx.inputs.members.ids,
        bonus_ids=tuple(bonus.id for bonus in ctx.plan.bonuses),
        outcomes=mapped,
        paid_as=ctx.paid_as[back],
        highest=ctx.highest[back],
        active=ctx.active[back],
        pv=ctx.pv[back],
        bv=ctx.bv[back],
        group_volume=ctx.group_volume[back],
        carry_out=CarryState(highest_rank=ctx.highest[back], values=carry_values),
        rank_names=tuple(rank.name for rank in ctx.plan.ranks),
    )

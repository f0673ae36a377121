"""The reference evaluator: per-member loops, Decimal money, input order.

Slow and plain on purpose. It shares no arithmetic with the vectorized engine (no
preorder, no prefix sums, no compression by pointer jumping), so when property tests
find both agree to the cent, each checks the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np

from fairtree.engine.inputs import STATUS_NAMES, CarryState, EngineInput
from fairtree.engine.registry import get_kind
from fairtree.engine.result import BonusOutcome, Evaluation
from fairtree.money import currency_exponent, round_decimal
from fairtree.periods import Period
from fairtree.plans.bonus_kinds import ProductLimit
from fairtree.plans.load import PlanDocument
from fairtree.plans.schema import Plan, QualifyingOrder
from fairtree.plans.validation import evaluation_order
from fairtree.plans.values import RATE_SCALE


@dataclass(frozen=True)
class RefOrder:
    row: int
    buyer: int
    from_customer: bool
    placed_on: date
    pv: int
    bv: int
    kind: str = "order"
    # (product id, category, pv, bv) per commissionable line, volumes as sold (signed)
    lines: tuple[tuple[str, str, int, int], ...] = ()


@dataclass
class ReferenceContext:
    plan: Plan
    period: Period
    inputs: EngineInput
    sponsor: list[int]
    children: list[list[int]]
    status: list[str]
    joined_on: list[date]
    orders: list[RefOrder]
    pv: list[int]
    bv: list[int]
    active: list[bool]
    group_volume: list[int]
    paid_as: list[int]
    highest: list[int]
    carry_in: CarryState
    pay_of: dict[str, list[int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.sponsor)

    def volume(self, name: str) -> list[int]:
        return self.pv if name == "pv" else self.bv

    def pay_rank(self, member: int) -> int:
        ranks = self.highest if self.plan.rank_basis == "highest" else self.paid_as
        return ranks[member]

    def rank_at_least(self, member: int, name: str | None) -> bool:
        return name is None or self.pay_rank(member) >= self.plan.rank_index(name)

    def by_rank(self, member: int, table: dict[str, int] | None, default: int) -> int:
        if table is None:
            return default
        value = 0
        for index in range(1, self.pay_rank(member) + 1):
            name = self.plan.ranks[index - 1].name
            if name in table:
                value = max(value, table[name])
        return value

    def limited_order_volume(self, order: RefOrder, name: str, limit: ProductLimit | None) -> int:
        """One order's ``name`` volume on the limit's products (all of it without one)."""
        if limit is None:
            return order.pv if name == "pv" else order.bv
        raw = {"pv": 0, "bv": 0}
        for product, category, pv, bv in order.lines:
            if product in limit.products or category in limit.categories:
                raw["pv"] += pv
                raw["bv"] += bv
        rules = self.plan.volumes
        return raw[rules.pv_from] if name == "pv" else raw[rules.bv_from]

    def limited_volume(self, name: str, limit: ProductLimit | None) -> list[int]:
        """Per member: net ``name`` volume on the limit's products, never below zero."""
        if limit is None:
            return self.volume(name)
        total = [0] * self.size
        for order in self.orders:
            total[order.buyer] += self.limited_order_volume(order, name, limit)
        return [max(value, 0) for value in total]

    def descendants(self, member: int) -> list[int]:
        out, stack = [], list(self.children[member])
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(self.children[node])
        return out

    # money ---------------------------------------------------------------
    @staticmethod
    def rate(units: int) -> Decimal:
        return Decimal(units) / RATE_SCALE

    @staticmethod
    def points(hundredths: int) -> Decimal:
        """A volume as plan-currency money: 1.00 point = 1.00 of the currency."""
        return Decimal(hundredths) / 100

    def minor(self, amount: Decimal) -> Decimal:
        return amount.scaleb(currency_exponent(self.plan.currency))

    def minor_to_money(self, minor: int) -> Decimal:
        return Decimal(minor).scaleb(-currency_exponent(self.plan.currency))

    def round(self, amount: Decimal) -> int:
        """Currency amount (exact) -> whole minor units by the plan's rule."""
        return round_decimal(self.minor(amount), self.plan.rounding)


def placed_qualifying_order(
    orders: list[RefOrder], size: int, condition: QualifyingOrder
) -> list[bool]:
    """Per member: one own order (no customer's, no return) of min_pv or more PV, of
    the condition's kind when it names one, in the period (orders are the period's)."""
    placed = [False] * size
    for order in orders:
        if order.from_customer or order.pv < condition.min_pv:
            continue
        if condition.kind is not None and order.kind != condition.kind:
            continue
        placed[order.buyer] = True
    return placed


def _ranks(ctx: ReferenceContext) -> list[int]:
    plan = ctx.plan
    rank = [0] * ctx.size
    for r, definition in enumerate(plan.ranks, start=1):
        cond = definition.conditions
        new_rank = list(rank)
        for m in range(ctx.size):
            if not ctx.active[m] or rank[m] != r - 1:
                continue
            ok = True
            if cond.pv is not None and ctx.pv[m] < cond.pv:
                ok = False
            if cond.group_volume is not None and ctx.group_volume[m] < cond.group_volume:
                ok = False
            if cond.max_leg is not None:
                rule = cond.max_leg
                if rule.max_leg_volume is not None:
                    cap = rule.max_leg_volume
                else:
                    cap = int(Decimal(rule.requirement) * ctx.rate(rule.max_leg_percent or 0))
                counted = ctx.pv[m] + sum(min(ctx.group_volume[c], cap) for c in ctx.children[m])
                if counted < rule.requirement:
                    ok = False
            for need in cond.legs_with_rank:
                at_least = plan.rank_index(need.rank)
                legs = sum(
                    1
                    for c in ctx.children[m]
                    if rank[c] >= at_least or any(rank[d] >= at_least for d in ctx.descendants(c))
                )
                if legs < need.legs:
                    ok = False
            active_children = sum(1 for c in ctx.children[m] if ctx.active[c])
            if cond.active_personal is not None and active_children < cond.active_personal:
                ok = False
            if cond.qualifying_order is not None:
                ok = ok and placed_qualifying_order(ctx.orders, ctx.size, cond.qualifying_order)[m]
            if ok:
                new_rank[m] = r
        rank = new_rank
    return rank


def _lines_by_order(inputs: EngineInput) -> dict[int, list[tuple[str, str, int, int]]]:
    lines = inputs.orders.lines
    out: dict[int, list[tuple[str, str, int, int]]] = {}
    if lines is None:
        return out
    for k in range(len(lines)):
        product = int(lines.product[k])
        out.setdefault(int(lines.order[k]), []).append(
            (
                str(lines.product_ids[product]),
                str(lines.product_category[product]),
                int(lines.pv[k]),
                int(lines.bv[k]),
            )
        )
    return out


def build_reference_context(inputs: EngineInput, plan: Plan, period: Period) -> ReferenceContext:
    members, orders = inputs.members, inputs.orders
    n = len(members)
    sponsor = [int(s) for s in members.sponsor]
    children: list[list[int]] = [[] for _ in range(n)]
    for m, s in enumerate(sponsor):
        if s >= 0:
            children[s].append(m)
    period_orders = []
    lines = _lines_by_order(inputs)
    pv, bv = [0] * n, [0] * n
    for row in range(len(orders)):
        placed = orders.placed_on[row].astype(date)
        if not period.start <= placed < period.end:
            continue
        if plan.volumes.customer_orders == "none" and bool(orders.from_customer[row]):
            continue
        raw = {"pv": int(orders.pv[row]), "bv": int(orders.bv[row])}
        order = RefOrder(
            row=row,
            buyer=int(orders.buyer[row]),
            from_customer=bool(orders.from_customer[row]),
            placed_on=placed,
            pv=raw[plan.volumes.pv_from],
            bv=raw[plan.volumes.bv_from],
            kind="order" if orders.kind is None else str(orders.kind[row]),
            lines=tuple(lines.get(row, ())),
        )
        period_orders.append(order)
        pv[order.buyer] += order.pv
        bv[order.buyer] += order.bv
    pv = [max(v, 0) for v in pv]
    bv = [max(v, 0) for v in bv]
    status = [STATUS_NAMES[int(s)] for s in members.status]
    active = [
        status[m] in plan.activity.statuses and pv[m] >= plan.activity.min_pv for m in range(n)
    ]
    if plan.activity.qualifying_order is not None:
        placed = placed_qualifying_order(period_orders, n, plan.activity.qualifying_order)
        active = [active[m] and placed[m] for m in range(n)]
    carry = inputs.carry_in or CarryState.empty(n)
    ctx = ReferenceContext(
        plan=plan,
        period=period,
        inputs=inputs,
        sponsor=sponsor,
        children=children,
        status=status,
        joined_on=[d.astype(date) for d in members.joined_on],
        orders=period_orders,
        pv=pv,
        bv=bv,
        active=active,
        group_volume=[0] * n,
        paid_as=[0] * n,
        highest=[0] * n,
        carry_in=carry,
    )
    ctx.group_volume = [pv[m] + sum(pv[d] for d in ctx.descendants(m)) for m in range(n)]
    ctx.paid_as = _ranks(ctx)
    ctx.highest = [max(int(carry.highest_rank[m]), ctx.paid_as[m]) for m in range(n)]
    return ctx


def evaluate_reference(
    inputs: EngineInput, plan: Plan | PlanDocument, period: Period
) -> Evaluation:
    resolved = plan.for_date(period.start) if isinstance(plan, PlanDocument) else plan
    ctx = build_reference_context(inputs, resolved, period)
    outcomes: dict[str, BonusOutcome] = {}
    carry_values: dict[str, np.ndarray] = {}
    for bonus_id in evaluation_order(resolved):
        config = resolved.bonus(bonus_id)
        kind = get_kind(config.kind)
        assert kind is not None, config.kind
        outcome = kind.reference(ctx, config)
        outcomes[bonus_id] = outcome
        ctx.pay_of[bonus_id] = [int(v) for v in outcome.pay]
        for key, value in outcome.carry_out.items():
            carry_values[f"{bonus_id}.{key}"] = value
    as_array = lambda values, dtype=np.int64: np.array(values, dtype=dtype)  # noqa: E731
    return Evaluation(
        member_ids=inputs.members.ids,
        bonus_ids=tuple(bonus.id for bonus in resolved.bonuses),
        outcomes=outcomes,
        paid_as=as_array(ctx.paid_as, np.int16),
        highest=as_array(ctx.highest, np.int16),
        active=as_array(ctx.active, bool),
        pv=as_array(ctx.pv),
        bv=as_array(ctx.bv),
        group_volume=as_array(ctx.group_volume),
        carry_out=CarryState(highest_rank=as_array(ctx.highest, np.int16), values=carry_values),
        rank_names=tuple(rank.name for rank in resolved.ranks),
    )

"""Retail profit: what a member keeps when selling at retail to their own customers.

Per member, Σ ``Orders.retail_margin`` (retail price minus member price, in minor
units) of the period's orders bought by that member's retail customers, returns
netted, never below zero. It is reported beside pay (``report_only``): the
customer paid the member, the company pays nothing. Orders members place for
themselves earn no retail profit. The amount is already money, so there is no rate
and no rounding; pool = Σ reported, breakage 0.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from fairtree.engine.context import Context
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import Contribution, TraceLine, trace_line
from fairtree.money import format_amount
from fairtree.plans.bonus_kinds import BonusBase, PlanFacts
from fairtree.plans.values import RATE_SCALE


class RetailProfit(BonusBase):
    """Retail price minus member price on customer orders: reported, not paid."""

    kind: Literal["retail_profit"]
    paid_by_company: Literal[False] = False

    def check(self, plan: PlanFacts, where: str) -> None:
        if self.min_rank is not None:
            plan.bad(
                f"{where}.min_rank",
                "min_rank",
                "retail profit is the member's own margin, not paid by the company: "
                "it takes no rank condition",
            )


def customer_rows(ctx: Context) -> np.ndarray:
    """Rows of the period's orders bought by retail customers (all, whatever the
    plan says about their volume)."""
    orders = ctx.inputs.orders
    start, end = np.datetime64(ctx.period.start, "D"), np.datetime64(ctx.period.end, "D")
    keep = (orders.placed_on >= start) & (orders.placed_on < end) & orders.from_customer
    return np.flatnonzero(keep)


@register(RetailProfit)
class RetailProfitKind:
    @staticmethod
    def evaluate(ctx: Context, config: RetailProfit) -> BonusOutcome:
        rows = customer_rows(ctx)
        orders = ctx.inputs.orders
        margin = np.zeros(ctx.size, dtype=np.int64)
        np.add.at(margin, ctx.tree.position[orders.buyer[rows]], orders.retail_margin[rows])
        pay = np.maximum(margin, 0)
        return BonusOutcome(pay=pay, pool=int(pay.sum()), report_only=True)

    @staticmethod
    def reference(ref: ReferenceContext, config: RetailProfit) -> BonusOutcome:
        orders = ref.inputs.orders
        margin = [0] * ref.size
        for row in range(len(orders)):
            placed = orders.placed_on[row].astype(object)
            if orders.from_customer[row] and ref.period.start <= placed < ref.period.end:
                margin[int(orders.buyer[row])] += int(orders.retail_margin[row])
        pay = np.array([max(amount, 0) for amount in margin], dtype=np.int64)
        return BonusOutcome(pay=pay, pool=sum(int(v) for v in pay), report_only=True)

    @staticmethod
    def explain(
        ctx: Context, config: RetailProfit, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        rows = customer_rows(ctx)
        orders = ctx.inputs.orders
        mine = rows[ctx.tree.position[orders.buyer[rows]] == member]
        if mine.size == 0:
            return []
        ids = ctx.inputs.members.ids[ctx.tree.order]
        net = int(orders.retail_margin[mine].sum())
        contributions = tuple(
            Contribution(
                source=str(ids[member]),
                level=0,
                base=int(orders.retail_margin[row]),
                rate=RATE_SCALE,
                paid=True,
                base_is_money=True,
                orders=(name,),
                note="retail price minus member price on a customer's order",
            )
            for row, name in zip(mine, orders.names(mine), strict=True)
        )
        return [
            trace_line(
                ctx,
                config,
                outcome,
                member,
                exact=format_amount(net, ctx.plan.currency),
                rounding="none (money already exact; a negative net is shown as 0)",
                rule="retail profit on own customers' orders: reported, not paid by the company",
                contributions=contributions,
            )
        ]

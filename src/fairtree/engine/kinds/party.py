"""Party plan: the consultant's commission on party sales, the host's reward credit.

A party's sales are the commissionable money (``Orders.sales``) of the orders placed
in the period that carry its id, returns netted, never below zero. Items given free
or discounted to the host are ``noncommissionable_sales``: they count in no tier, no
commission and no volume. The party's tier is the highest ``host_tiers`` entry whose
``min_sales`` it reaches.

- Consultant: the tier's ``consultant_rate`` (or the flat ``consultant_rate``) x the
  party's sales; per consultant, Σ over their parties rounded once. A consultant
  who is not active or below ``min_rank`` is not paid (breakage).
- Host: the tier's ``reward_percent`` x the party's sales, rounded once per party,
  reported as a credit line to the host (a member or a retail customer). It is a
  product credit, not commission: it is in no member's pay and not in the pool.

Pool: Σ over parties of the consultant rate x sales, rounded once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import numpy as np
from pydantic import Field

from fairtree.engine.context import Context, money_pay
from fairtree.engine.inputs import EngineInput, Parties
from fairtree.engine.kinds.party_reference import party_reference
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome, CreditLine
from fairtree.engine.trace import Contribution, TraceLine, trace_line
from fairtree.errors import Problem, ValidationError
from fairtree.money import RoundingRule, currency_exponent, round_div
from fairtree.periods import Period
from fairtree.plans.bonus_kinds import BonusBase, PlanFacts, Strict
from fairtree.plans.values import RATE_SCALE, Amount, Rate


class HostTier(Strict):
    """A party sales tier: the host's reward and, optionally, the consultant's rate."""

    min_sales: Amount
    reward_percent: Rate
    consultant_rate: Rate | None = None  # None: the bonus's flat consultant_rate


class PartyPlan(BonusBase):
    """Consultant commission on party sales and host rewards by sales tier."""

    kind: Literal["party"]
    consultant_rate: Rate
    host_tiers: list[HostTier] = Field(default_factory=list)

    def check(self, plan: PlanFacts, where: str) -> None:
        """Tier thresholds fit the currency and go strictly up."""
        for i, tier in enumerate(self.host_tiers):
            exponent = currency_exponent(plan.currency)
            scaled = tier.min_sales.scaleb(exponent)
            if scaled != scaled.to_integral_value():
                plan.bad(
                    f"{where}.host_tiers[{i}].min_sales",
                    "min_sales",
                    f"{tier.min_sales} has more than {exponent} decimals for {plan.currency}",
                )
            if i > 0 and tier.min_sales <= self.host_tiers[i - 1].min_sales:
                plan.bad(
                    f"{where}.host_tiers[{i}].min_sales",
                    "min_sales",
                    "host tiers must be listed by strictly increasing min_sales",
                )


def tier_table(config: PartyPlan, currency: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(min sales in minor units, host reward rate, consultant rate) per tier, with a
    leading "no tier" row (reward 0, the flat consultant rate)."""
    exponent = currency_exponent(currency)
    mins = [int(t.min_sales.scaleb(exponent)) for t in config.host_tiers]
    host = [0] + [t.reward_percent for t in config.host_tiers]
    consultant = [config.consultant_rate] + [
        t.consultant_rate if t.consultant_rate is not None else config.consultant_rate
        for t in config.host_tiers
    ]
    as_array = lambda values: np.array(values, dtype=np.int64)  # noqa: E731
    return as_array(mins), as_array(host), as_array(consultant)


def period_party_rows(inputs: EngineInput, period: Period) -> np.ndarray:
    """Rows of the period's orders that belong to a party (customer orders included)."""
    orders = inputs.orders
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    rows = np.flatnonzero((orders.placed_on >= start) & (orders.placed_on < end))
    rows = rows[orders.party[rows] >= 0]
    count = len(inputs.parties) if inputs.parties is not None else 0
    unknown = rows[orders.party[rows] >= count]
    if unknown.size:
        raise ValidationError(
            [
                Problem(
                    "orders",
                    f"order {orders.ids[row]}",
                    "party",
                    f"names party #{int(orders.party[row])}, but {count} part(ies) are given",
                )
                for row in unknown
            ]
        )
    return rows


class _Parties:
    """Per party figures for the period (party rows index ``inputs.parties``)."""

    def __init__(self, ctx: Context, config: PartyPlan) -> None:
        inputs = ctx.inputs
        self.parties: Parties | None = inputs.parties
        count = len(self.parties) if self.parties is not None else 0
        self.rows = period_party_rows(inputs, ctx.period)
        sales = np.zeros(count, dtype=np.int64)
        np.add.at(sales, inputs.orders.party[self.rows], inputs.orders.sales[self.rows])
        self.sales = np.maximum(sales, 0)
        mins, host, consultant = tier_table(config, ctx.plan.currency)
        self.tier = np.searchsorted(mins, self.sales, side="right")  # 0 = below every tier
        self.host_rate = host[self.tier]
        self.consultant_rate = consultant[self.tier]
        self.commission = self.consultant_rate * self.sales  # rate units x minor units
        self.consultant = np.zeros(0, dtype=np.int64)
        if self.parties is not None:
            self.consultant = ctx.tree.position[self.parties.consultant]
        self.qualified = ctx.active & ctx.rank_at_least(config.min_rank)


def host_credits(
    config: PartyPlan,
    parties: Parties | None,
    member_ids: np.ndarray,
    sales: np.ndarray,
    host_rate: np.ndarray,
    rule: RoundingRule,
) -> tuple[CreditLine, ...]:
    """One credit line per party that reached a rewarding tier and names a host."""
    if parties is None:
        return ()
    lines = []
    credited = np.flatnonzero((host_rate > 0) & (sales > 0))
    amounts = money_pay(host_rate[credited] * sales[credited], rule)
    for party, amount in zip(credited.tolist(), amounts.tolist(), strict=True):
        holder = parties.host_name(party, member_ids)
        if not holder:
            continue
        lines.append(
            CreditLine(
                bonus_id=config.id,
                party=str(parties.ids[party]),
                holder=holder,
                holder_is_member=bool(parties.host_member[party] >= 0),
                base=int(sales[party]),
                rate=int(host_rate[party]),
                amount=amount,
                note="host reward credit (not commissionable)",
            )
        )
    return tuple(lines)


@register(PartyPlan)
class PartyKind:
    @staticmethod
    def evaluate(ctx: Context, config: PartyPlan) -> BonusOutcome:
        f = _Parties(ctx, config)
        numerator = np.zeros(ctx.size, dtype=np.int64)
        paid = f.qualified[f.consultant]
        np.add.at(numerator, f.consultant[paid], f.commission[paid])
        pool = round_div(int(f.commission.sum()), RATE_SCALE, ctx.rounding)
        credits = host_credits(
            config, f.parties, ctx.inputs.members.ids, f.sales, f.host_rate, ctx.rounding
        )
        return BonusOutcome(pay=money_pay(numerator, ctx.rounding), pool=pool, credits=credits)

    @staticmethod
    def reference(ref: ReferenceContext, config: PartyPlan) -> BonusOutcome:
        return party_reference(ref, config)

    @staticmethod
    def explain(
        ctx: Context, config: PartyPlan, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        f = _Parties(ctx, config)
        if f.parties is None:
            return []
        orders = ctx.inputs.orders
        qualified = bool(f.qualified[member])
        why_not = "consultant not active" if not ctx.active[member] else f"below {config.min_rank}"
        contributions, exact = [], 0
        for party in np.flatnonzero((f.consultant == member) & (f.sales > 0)):
            rows = f.rows[orders.party[f.rows] == party]
            tier = int(f.tier[party])
            host = f.parties.host_name(int(party), ctx.inputs.members.ids) or "no host"
            if qualified:
                exact += int(f.commission[party])
            contributions.append(
                Contribution(
                    source=str(f.parties.ids[party]),
                    level=0,
                    base=int(f.sales[party]),
                    rate=int(f.consultant_rate[party]),
                    paid=qualified,
                    base_is_money=True,
                    orders=orders.names(rows),
                    note=f"party sales, tier {tier if tier else 'none'}, host {host}"
                    if qualified
                    else why_not,
                )
            )
        if not contributions:
            return []
        scale = Decimal(RATE_SCALE) * Decimal(10) ** currency_exponent(ctx.plan.currency)
        return [
            trace_line(
                ctx,
                config,
                outcome,
                member,
                exact=str(Decimal(exact) / scale),
                rule="consultant commission on commissionable party sales, rate by sales tier",
                contributions=tuple(contributions),
            )
        ]

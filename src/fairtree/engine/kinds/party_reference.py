"""The party rule written plainly from the plan text: loops over orders, Decimal money.

For every party: add up the commissionable sales of its orders placed in the period
(returns subtract; never below zero), find the highest tier reached, pay the
consultant rate x sales to a qualified consultant and credit the host the tier's
reward percent x sales.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from fairtree.engine.reference import ReferenceContext
from fairtree.engine.result import BonusOutcome, CreditLine
from fairtree.money import currency_exponent

if TYPE_CHECKING:
    from fairtree.engine.kinds.party import HostTier, PartyPlan


def _tier(config: PartyPlan, sales: Decimal) -> HostTier | None:
    reached = None
    for tier in config.host_tiers:
        if sales >= tier.min_sales:
            reached = tier
    return reached


def party_reference(ref: ReferenceContext, config: PartyPlan) -> BonusOutcome:
    parties, orders = ref.inputs.parties, ref.inputs.orders
    pay_exact = [Decimal(0)] * ref.size
    pool = Decimal(0)
    credits: list[CreditLine] = []
    if parties is None:
        return BonusOutcome(pay=np.zeros(ref.size, dtype=np.int64), pool=0)
    exponent = currency_exponent(ref.plan.currency)
    sales_minor = [0] * len(parties)
    for row in range(len(orders)):
        placed = orders.placed_on[row].astype(object)
        party = int(orders.party[row])
        if party >= 0 and ref.period.start <= placed < ref.period.end:
            sales_minor[party] += int(orders.sales[row])
    member_ids = ref.inputs.members.ids
    for party in range(len(parties)):
        sales = ref.minor_to_money(max(sales_minor[party], 0))
        if sales <= 0:
            continue
        tier = _tier(config, sales)
        rate = config.consultant_rate
        if tier is not None and tier.consultant_rate is not None:
            rate = tier.consultant_rate
        commission = ref.rate(rate) * sales
        pool += commission
        consultant = int(parties.consultant[party])
        if ref.active[consultant] and ref.rank_at_least(consultant, config.min_rank):
            pay_exact[consultant] += commission
        host = parties.host_name(party, member_ids)
        if tier is not None and tier.reward_percent > 0 and host:
            reward = ref.rate(tier.reward_percent) * sales
            credits.append(
                CreditLine(
                    bonus_id=config.id,
                    party=str(parties.ids[party]),
                    holder=host,
                    holder_is_member=bool(parties.host_member[party] >= 0),
                    base=int(sales.scaleb(exponent)),
                    rate=tier.reward_percent,
                    amount=ref.round(reward),
                    note="host reward credit (not commissionable)",
                )
            )
    pay = np.array([ref.round(amount) for amount in pay_exact], dtype=np.int64)
    return BonusOutcome(pay=pay, pool=ref.round(pool), credits=tuple(credits))

"""The stairstep rule written plainly from the plan text: loops, Decimal, input order.

1. Who breaks away: a member with a sponsor that holds the breakaway rank and/or is
   active with own group PV at the breakaway volume. Own group PV depends on the
   breakaways below, so members are settled deepest first.
2. Own group of a member: walk down from the member, never entering a leg that broke
   away.
3. Differential: pct(own group PV) x own group volume minus, for each frontline leg
   that stayed, pct(leg's group PV) x the leg's group volume.
4. Overrides: from each breakaway leader walk up the sponsors; every member met that
   heads a group (broke away, or has no sponsor) is the next generation's receiver.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from fairtree.engine.reference import ReferenceContext
from fairtree.engine.result import BonusOutcome

if TYPE_CHECKING:
    from fairtree.engine.kinds.stairstep import Stairstep


def _depth(ref: ReferenceContext, member: int) -> int:
    depth, node = 0, ref.sponsor[member]
    while node >= 0:
        depth, node = depth + 1, ref.sponsor[node]
    return depth


def _group_sum(ref: ReferenceContext, member: int, values: list[int], broke: list[bool]) -> int:
    total, stack = values[member], list(ref.children[member])
    while stack:
        node = stack.pop()
        if broke[node]:
            continue
        total += values[node]
        stack.extend(ref.children[node])
    return total


def _breakaways(ref: ReferenceContext, config: Stairstep) -> list[bool]:
    rule = config.breakaway
    broke = [False] * ref.size
    if rule is None:
        return broke
    deepest_first = sorted(range(ref.size), key=lambda m: -_depth(ref, m))
    for member in deepest_first:
        if ref.sponsor[member] < 0:
            continue
        if isinstance(rule.rank, str) and not ref.rank_at_least(member, rule.rank):
            continue
        if rule.rank is not None and not isinstance(rule.rank, str):
            own, sponsor = ref.pay_rank(member), ref.pay_rank(ref.sponsor[member])
            if own < 1 or own < sponsor + rule.rank.relative:
                continue
        if rule.group_volume is not None:
            if not ref.active[member]:
                continue
            if _group_sum(ref, member, ref.pv, broke) < rule.group_volume:
                continue
        broke[member] = True
    return broke


def _bracket_rate(config: Stairstep, group_pv: int) -> int:
    rate = 0
    for bracket in config.brackets:
        if group_pv >= bracket.min_volume:
            rate = bracket.rate
    return rate


def stairstep_reference(ref: ReferenceContext, config: Stairstep) -> BonusOutcome:
    volume = ref.volume(config.volume)
    broke = _breakaways(ref, config)
    group_pv = [_group_sum(ref, m, ref.pv, broke) for m in range(ref.size)]
    group_volume = [_group_sum(ref, m, volume, broke) for m in range(ref.size)]

    def bracket_amount(member: int) -> Decimal:
        rate = _bracket_rate(config, group_pv[member])
        return ref.rate(rate) * ref.points(group_volume[member])

    def qualified(member: int) -> bool:
        return ref.active[member] and ref.rank_at_least(member, config.min_rank)

    exact = [Decimal(0)] * ref.size
    for member in range(ref.size):
        if not qualified(member):
            continue
        amount = bracket_amount(member)
        for child in ref.children[member]:
            if not broke[child]:
                amount -= bracket_amount(child)
        exact[member] += amount

    rule = config.breakaway
    rates = rule.generation_rates if rule is not None else []
    pool = ref.rate(config.brackets[-1].rate) * ref.points(sum(volume))
    for leader in range(ref.size):
        if not broke[leader]:
            continue
        pool += sum(ref.rate(r) for r in rates) * ref.points(group_volume[leader])
        generation, node = 0, ref.sponsor[leader]
        while node >= 0 and generation < len(rates):
            if broke[node] or ref.sponsor[node] < 0:
                generation += 1
                assert rule is not None
                paid_generations = ref.by_rank(node, rule.generations_by_rank, len(rates))
                receives = (
                    qualified(node)
                    and ref.rank_at_least(node, rule.generation_min_rank)
                    and generation <= paid_generations
                )
                if receives:
                    exact[node] += ref.rate(rates[generation - 1]) * ref.points(
                        group_volume[leader]
                    )
            node = ref.sponsor[node]

    pay = np.array([ref.round(amount) for amount in exact], dtype=np.int64)
    return BonusOutcome(pay=pay, pool=ref.round(pool))

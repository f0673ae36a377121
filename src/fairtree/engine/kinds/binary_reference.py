"""The binary bonus written plainly from the plan text: per member, walk each
placement leg, take pairs one at a time, Decimal money. Input order throughout."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from fairtree.engine.placement_legs import refuse_bad_slots
from fairtree.engine.reference import ReferenceContext

if TYPE_CHECKING:
    from fairtree.engine.kinds.binary import Binary

BINARY_SLOTS = "a binary tree has only L and R"


def placement_children(ref: ReferenceContext) -> list[dict[int, int]]:
    """Per member: slot -> the member placed in that slot directly below."""
    members = ref.inputs.members
    out: list[dict[int, int]] = [{} for _ in range(ref.size)]
    if members.placement_parent is None or members.placement_position is None:
        return out
    for member in range(ref.size):
        parent = int(members.placement_parent[member])
        if parent >= 0:
            out[parent][int(members.placement_position[member])] = member
    return out


def placement_subtree(children: list[dict[int, int]], head: int) -> list[int]:
    found, stack = [], [head]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(children[node].values())
    return found


def cap_for(ref: ReferenceContext, config: Binary, member: int) -> Decimal | None:
    """The cap of the highest listed rank at or below the member's, else ``cap``."""
    cap = config.cap
    for index in range(1, ref.pay_rank(member) + 1):
        name = ref.plan.ranks[index - 1].name
        if name in config.cap_by_rank:
            cap = config.cap_by_rank[name]
    return cap


def binary_reference(
    ref: ReferenceContext, config: Binary
) -> tuple[list[int], int, list[int], list[int], list[bool], list[tuple[int, int]]]:
    """(pay, pool, carry left, carry right, first pair paid, (left, right) leg volumes
    compared) in input order."""
    refuse_bad_slots(ref.plan, config.id, ref.inputs.members, range(2), "", BINARY_SLOTS)
    children = placement_children(ref)
    volume = ref.volume(config.volume)
    carry = ref.carry_in.values
    pay, left_out, right_out, first_out = [], [], [], []
    compared: list[tuple[int, int]] = []
    pool = 0
    for member in range(ref.size):
        legs = []
        for slot, key in ((0, "left"), (1, "right")):
            head = children[member].get(slot)
            new = (
                sum(volume[d] for d in placement_subtree(children, head)) if head is not None else 0
            )
            carried = (
                int(carry[f"{config.id}.{key}"][member]) if f"{config.id}.{key}" in carry else 0
            )
            legs.append(new + (carried if config.carry.enabled else 0))
        left, right = legs
        compared.append((left, right))
        first_key = f"{config.id}.first_pair"
        first_paid = first_key in carry and int(carry[first_key][member]) != 0

        sides = 0
        for slot in (0, 1):
            head = children[member].get(slot)
            below = placement_subtree(children, head) if head is not None else []
            if any(ref.sponsor[d] == member and ref.active[d] for d in below):
                sides += 1
        qualified = (
            ref.active[member]
            and ref.rank_at_least(member, config.min_rank)
            and sides >= config.requires_active_legs
        )

        earned = Decimal(0)
        weaker_is_left = left < right  # on a tie the left side counts as the stronger
        if qualified and config.weak_leg_rate is not None:
            weak = min(left, right)
            earned = ref.rate(config.weak_leg_rate) * ref.points(weak)
            left, right = left - weak, right - weak
        elif qualified and config.pairs is not None:
            unit = config.pairs.pair_volume
            count = 0
            needs_two_one = config.pairs.first_pair == "2:1" and (
                config.pairs.first_pair_scope == "period" or not first_paid
            )
            if needs_two_one:
                if left >= right and left >= 2 * unit and right >= unit:
                    left, right, count = left - 2 * unit, right - unit, 1
                elif right > left and right >= 2 * unit and left >= unit:
                    left, right, count = left - unit, right - 2 * unit, 1
            if count == 1 or not needs_two_one:
                while left >= unit and right >= unit:
                    left, right, count = left - unit, right - unit, count + 1
            earned = config.pairs.pair_amount * count
            first_paid = first_paid or count > 0
        uncapped = ref.round(earned) if qualified else 0
        pool += uncapped
        cap = cap_for(ref, config, member)
        if cap is not None and Decimal(uncapped) > ref.minor(cap):
            pay.append(int(ref.minor(cap)))
        else:
            pay.append(uncapped)

        if not config.carry.enabled:
            left = right = 0
        if config.carry.flush_if_inactive and not ref.active[member]:
            left = right = 0
        if config.carry.flush_weaker_side and qualified:
            if weaker_is_left:
                left = 0
            else:
                right = 0
        if config.carry.max_carry is not None:
            left, right = min(left, config.carry.max_carry), min(right, config.carry.max_carry)
        left_out.append(left)
        right_out.append(right)
        first_out.append(first_paid)
    return pay, pool, left_out, right_out, first_out, compared

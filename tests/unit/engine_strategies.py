"""Hypothesis strategies: small random networks, orders and plans for the engine."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from fairtree.engine.inputs import CarryState, EngineInput, Members, Orders, Parties
from fairtree.plans.load import parse_plan
from tests.unit.placement_strategies import (
    JOIN_DAYS,
    binary_bonus,
    fast_start_bonus,
    order_lines,
    placement,
    product_limits,
)

PERIOD = "2026-03"
DAYS = np.array(
    ["2026-02-20", "2026-03-01", "2026-03-15", "2026-03-31", "2026-04-01"], dtype="datetime64[D]"
)

rates = st.integers(0, 2000).map(lambda bp: f"{bp / 100}%")  # 0%..20% in basis points
points = st.integers(0, 30000).map(lambda h: f"{h / 100}")
# thresholds biased low so that members often qualify and every rule gets exercised
thresholds = st.one_of(st.sampled_from(["0", "0", "50", "100"]), points)
# one order of at least min_pv (optionally of a kind): the qualifying-order condition
qualifying_orders = st.builds(
    lambda pv, kind: {"min_pv": pv} if kind is None else {"min_pv": pv, "kind": kind},
    st.sampled_from(["0.01", "50", "100", "150"]),
    st.sampled_from([None, None, "order", "subscription"]),
)


@st.composite
def networks(draw, max_members=25, max_orders=40):
    n = draw(st.integers(1, max_members))
    parents = [-1] + [draw(st.integers(-1, k - 1).filter(lambda p: True)) for k in range(1, n)]
    perm = draw(st.permutations(range(n)))
    sponsor = [-1] * n
    for k in range(n):
        sponsor[perm[k]] = perm[parents[k]] if parents[k] >= 0 else -1
    status = draw(st.lists(st.sampled_from([0, 0, 0, 0, 0, 1, 2]), min_size=n, max_size=n))
    joined = draw(st.lists(st.integers(0, len(JOIN_DAYS) - 1), min_size=n, max_size=n))
    placement_parent, placement_position = draw(placement(n, None))  # a binary tree
    members = Members(
        ids=np.array([f"m{i}" for i in range(n)], dtype=object),
        sponsor=np.array(sponsor, dtype=np.int64),
        joined_on=JOIN_DAYS[np.array(joined, dtype=np.int64)],
        status=np.array(status, dtype=np.int8),
        placement_parent=np.array(placement_parent, dtype=np.int64),
        placement_position=np.array(placement_position, dtype=np.int8),
    )
    # most members place one order in the period, so that most are active and paid
    regulars = [m for m in range(n) if draw(st.sampled_from([True, True, True, False]))]
    k = len(regulars) + draw(st.integers(0, max_orders))
    buyer = regulars + draw(
        st.lists(st.integers(0, n - 1), min_size=k - len(regulars), max_size=k - len(regulars))
    )
    pv = draw(st.lists(st.integers(0, 25000), min_size=k, max_size=k))
    bv = draw(st.lists(st.integers(0, 25000), min_size=k, max_size=k))
    sign = [1] * len(regulars) + draw(
        st.lists(
            st.sampled_from([1, 1, 1, 1, -1]),
            min_size=k - len(regulars),
            max_size=k - len(regulars),
        )
    )
    day = [2] * len(regulars) + draw(
        st.lists(
            st.integers(0, len(DAYS) - 1), min_size=k - len(regulars), max_size=k - len(regulars)
        )
    )
    customer = draw(st.lists(st.booleans(), min_size=k, max_size=k))
    z = np.zeros(k, dtype=np.int64)
    signs = np.array(sign, dtype=np.int64)
    money = st.lists(st.integers(0, 60000), min_size=k, max_size=k)
    parties = draw(party_tables(n))
    party = draw(st.lists(st.integers(-1, len(parties) - 1), min_size=k, max_size=k))
    orders = Orders(
        ids=np.array([f"o{i}" for i in range(k)], dtype=object),
        buyer=np.array(buyer, dtype=np.int64),
        from_customer=np.array(customer, dtype=bool),
        placed_on=DAYS[np.array(day, dtype=np.int64)] if k else DAYS[:0],
        pv=np.array(pv, dtype=np.int64) * np.array(sign, dtype=np.int64),
        bv=np.array(bv, dtype=np.int64) * np.array(sign, dtype=np.int64),
        sales=np.array(draw(money), dtype=np.int64) * signs,
        noncommissionable_sales=np.array(draw(money), dtype=np.int64) * signs,
        retail_margin=np.array(draw(money), dtype=np.int64) * signs // 4,
        party=np.array(party, dtype=np.int64) if k else z,
        kind=np.array(
            draw(
                st.lists(
                    st.sampled_from(["order", "order", "subscription"]), min_size=k, max_size=k
                )
            ),
            dtype=object,
        ),
        lines=draw(order_lines(np.array(pv, dtype=np.int64) * signs, np.array(bv) * signs)),
    )
    return EngineInput(members, orders, parties)


@st.composite
def party_tables(draw, n):
    """0-3 parties, each run by a member and hosted by a member, a customer or nobody."""
    count = draw(st.integers(0, 3))
    consultant = draw(st.lists(st.integers(0, n - 1), min_size=count, max_size=count))
    host = draw(
        st.lists(st.sampled_from(["member", "customer", "none"]), min_size=count, max_size=count)
    )
    host_member = [draw(st.integers(0, n - 1)) if h == "member" else -1 for h in host]
    return Parties(
        ids=np.array([f"p{i}" for i in range(count)], dtype=object),
        consultant=np.array(consultant, dtype=np.int64),
        host_member=np.array(host_member, dtype=np.int64),
        held_on=np.array(["2026-03-10"] * count, dtype="datetime64[D]"),
        host_customer=np.array(
            [f"c{i}" if h == "customer" else "" for i, h in enumerate(host)], dtype=object
        ),
    )


@st.composite
def rank_lists(draw):
    ranks = []
    for i in range(draw(st.integers(0, 4))):
        conditions: dict = {}
        if draw(st.booleans()):
            conditions["pv"] = draw(thresholds)
        if draw(st.booleans()):
            conditions["group_volume"] = str(draw(st.integers(0, 60000)) / 100)
        if draw(st.booleans()):
            requirement = draw(st.integers(0, 60000)) / 100
            if draw(st.booleans()):
                conditions["max_leg"] = {
                    "requirement": str(requirement),
                    "max_leg_percent": draw(st.sampled_from(["50%", "40%", "33.3333%"])),
                }
            else:
                conditions["max_leg"] = {
                    "requirement": str(requirement),
                    "max_leg_volume": draw(points),
                }
        if i > 0 and draw(st.booleans()):
            lower = draw(st.integers(0, i - 1))
            conditions["legs_with_rank"] = [{"rank": f"R{lower}", "legs": draw(st.integers(1, 2))}]
        if draw(st.booleans()):
            conditions["active_personal"] = draw(st.integers(0, 3))
        if draw(st.sampled_from([True, False, False])):
            conditions["qualifying_order"] = draw(qualifying_orders)
        ranks.append({"name": f"R{i}", "conditions": conditions})
    return ranks


@st.composite
def unilevel_bonus(draw, ranks, bonus_id="uni"):
    levels = draw(st.integers(1, 5))
    bonus = {
        "id": bonus_id,
        "kind": "unilevel",
        "volume": draw(st.sampled_from(["pv", "bv"])),
        "rates": draw(st.lists(rates, min_size=levels, max_size=levels)),
        "compression": draw(st.sampled_from(["none", "dynamic"])),
        "compressed_volume": draw(st.sampled_from(["roll_up", "breakage"])),
    }
    sometimes = st.sampled_from([True, False, False, False])
    if ranks and draw(sometimes):
        bonus["depth_by_rank"] = {
            r["name"]: draw(st.integers(0, levels)) for r in ranks if draw(st.booleans())
        }
    if ranks and draw(sometimes):
        bonus["min_rank"] = draw(st.sampled_from([r["name"] for r in ranks]))
    if draw(st.sampled_from([True, False, False])):
        bonus["paid_on"] = draw(product_limits)
    return bonus


@st.composite
def second_stage_bonuses(draw, ranks, bonuses):
    """Optional matching over the first-stage bonuses and a leadership pool."""
    out = []
    if draw(st.booleans()):
        generations = draw(st.integers(1, 3))
        matching = {
            "id": "match",
            "kind": "matching",
            "of": [b["id"] for b in bonuses],
            "rates": draw(
                st.lists(
                    st.integers(0, 5000).map(lambda bp: f"{bp / 100}%"),
                    min_size=generations,
                    max_size=generations,
                )
            ),
            "compression": draw(st.sampled_from(["none", "dynamic"])),
        }
        if ranks and draw(st.sampled_from([True, False, False])):
            matching["generations_by_rank"] = {
                r["name"]: draw(st.integers(0, generations)) for r in ranks
            }
        out.append(matching)
    if ranks and draw(st.booleans()):
        out.append(
            {
                "id": "pool",
                "kind": "leadership_pool",
                "volume": draw(st.sampled_from(["pv", "bv"])),
                "percent": draw(rates),
                "shares": {r["name"]: draw(st.integers(0, 4)) for r in ranks if draw(st.booleans())}
                or {ranks[0]["name"]: 1},
            }
        )
    return out


@st.composite
def placement_and_dated_bonuses(draw, ranks, currency):
    """Optional binary (placement tree) and fast start (orders by joined date)."""
    names = tuple(r["name"] for r in ranks)
    out = []
    if draw(st.booleans()):
        out.append(
            draw(binary_bonus(whole_money=currency == "JPY", rank_names=names, monotone_caps=True))
        )
    if draw(st.booleans()):
        out.append(draw(fast_start_bonus(rank_names=names)))
    return out


@st.composite
def stairstep_bonus(draw, ranks, bonus_id="stairstep"):
    """Brackets up in volume and never down in rate; breakaway by rank (named or relative
    to the sponsor's) and/or volume."""
    count = draw(st.integers(1, 4))
    mins = sorted(set(draw(st.lists(st.integers(0, 300000), min_size=count, max_size=count))))
    bracket_rates = sorted(
        draw(st.lists(st.integers(0, 2500), min_size=len(mins), max_size=len(mins)))
    )
    bonus = {
        "id": bonus_id,
        "kind": "stairstep",
        "volume": draw(st.sampled_from(["pv", "bv"])),
        "brackets": [
            {"min_volume": str(m / 100), "rate": f"{r / 100}%"}
            for m, r in zip(mins, bracket_rates, strict=True)
        ],
    }
    sometimes = st.sampled_from([True, False, False, False])
    if ranks and draw(sometimes):
        bonus["min_rank"] = draw(st.sampled_from([r["name"] for r in ranks]))
    if draw(st.sampled_from([True, True, True, False])):
        generations = draw(st.integers(0, 3))
        rule: dict = {
            "generation_rates": draw(st.lists(rates, min_size=generations, max_size=generations))
        }
        by = draw(st.sampled_from(["rank", "volume", "both"] if ranks else ["volume"]))
        if by in ("rank", "both"):
            # a rank by name, or relative to the sponsor's (-1, 0 or +1 rank)
            named = st.sampled_from([r["name"] for r in ranks])
            relative = st.integers(-1, 1).map(lambda k: {"relative": k})
            rule["rank"] = draw(st.one_of(named, relative))
        if by in ("volume", "both"):
            rule["group_volume"] = str(draw(st.integers(0, 200000)) / 100)
        if ranks and generations and draw(sometimes):
            rule["generation_min_rank"] = draw(st.sampled_from([r["name"] for r in ranks]))
        if ranks and generations and draw(sometimes):
            rule["generations_by_rank"] = {
                r["name"]: draw(st.integers(0, generations)) for r in ranks if draw(st.booleans())
            }
        bonus["breakaway"] = rule
    return bonus


@st.composite
def party_bonus(draw, ranks, bonus_id="party"):
    count = draw(st.integers(0, 3))
    mins = sorted(set(draw(st.lists(st.integers(0, 900), min_size=count, max_size=count))))
    tiers = []
    for minimum in mins:
        tier = {"min_sales": str(minimum), "reward_percent": draw(rates)}
        if draw(st.booleans()):
            tier["consultant_rate"] = draw(rates)
        tiers.append(tier)
    bonus = {"id": bonus_id, "kind": "party", "consultant_rate": draw(rates), "host_tiers": tiers}
    if ranks and draw(st.sampled_from([True, False, False, False])):
        bonus["min_rank"] = draw(st.sampled_from([r["name"] for r in ranks]))
    return bonus


@st.composite
def sales_kind_bonuses(draw, ranks):
    """Optional stairstep and party bonuses (first stage) and retail profit (report only)."""
    paid, reported = [], []
    if draw(st.booleans()):
        paid.append(draw(stairstep_bonus(ranks)))
    if draw(st.booleans()):
        paid.append(draw(party_bonus(ranks)))
    if draw(st.booleans()):
        reported.append({"id": "retail", "kind": "retail_profit"})
    return paid, reported


@st.composite
def plan_docs(draw, extra_bonuses=second_stage_bonuses):
    ranks = draw(rank_lists())
    currency = draw(st.sampled_from(["USD", "USD", "JPY", "KWD"]))
    bonuses = [draw(unilevel_bonus(ranks))]
    bonuses += draw(placement_and_dated_bonuses(ranks, currency))
    paid, reported = draw(sales_kind_bonuses(ranks))
    bonuses += paid
    if extra_bonuses is not None:
        bonuses += draw(extra_bonuses(ranks, bonuses))
    bonuses += reported
    doc = {
        "plan": {"name": "generated"},
        "currency": currency,
        "rounding": draw(st.sampled_from(["half_up", "half_even", "down"])),
        "volumes": {
            "pv_from": draw(st.sampled_from(["pv", "bv"])),
            "customer_orders": draw(st.sampled_from(["owner", "none"])),
        },
        "activity": {"min_pv": draw(thresholds)}
        | ({"qualifying_order": draw(qualifying_orders)} if draw(st.booleans()) else {}),
        "ranks": ranks,
        "rank_basis": draw(st.sampled_from(["paid_as", "highest"])),
        "bonuses": bonuses,
    }
    return doc


def plans(extra_bonuses=second_stage_bonuses):
    return plan_docs(extra_bonuses).map(lambda doc: parse_plan(doc, "generated.yaml"))


def with_extra_order(inputs: EngineInput, buyer: int, pv: int, bv: int) -> EngineInput:
    """The same company with one more order of ``buyer`` (for monotonicity properties)."""
    o = inputs.orders

    def add(array, value):
        return np.concatenate([array, np.array([value], dtype=array.dtype)])

    orders = Orders(
        ids=add(o.ids, "extra"),
        buyer=add(o.buyer, buyer),
        from_customer=add(o.from_customer, False),
        placed_on=add(o.placed_on, np.datetime64("2026-03-10")),
        pv=add(o.pv, pv),
        bv=add(o.bv, bv),
        sales=add(o.sales, 0),
        noncommissionable_sales=add(o.noncommissionable_sales, 0),
        retail_margin=add(o.retail_margin, 0),
        party=add(o.party, -1),
        kind=None if o.kind is None else add(o.kind, "order"),
        lines=o.lines,
    )
    return EngineInput(inputs.members, orders, inputs.parties, inputs.carry_in)


def relabel(inputs: EngineInput, perm: np.ndarray) -> EngineInput:
    """Member i becomes member perm[i]; placement, parties, carry-in and orders (also
    reversed) move with them, so no result may change."""
    n = len(inputs.members)
    inverse = np.empty(n, dtype=np.int64)
    inverse[perm] = np.arange(n)
    m = inputs.members

    def move(parent: np.ndarray) -> np.ndarray:
        old = parent[inverse]
        return np.where(old >= 0, perm[np.maximum(old, 0)], -1)

    members = Members(
        ids=m.ids[inverse],
        sponsor=move(m.sponsor),
        joined_on=m.joined_on[inverse],
        status=m.status[inverse],
        placement_parent=None if m.placement_parent is None else move(m.placement_parent),
        placement_position=(
            None if m.placement_position is None else m.placement_position[inverse]
        ),
    )
    o = inputs.orders
    rows = np.arange(len(o))[::-1]
    orders = Orders(
        ids=o.ids[rows],
        buyer=perm[o.buyer[rows]],
        from_customer=o.from_customer[rows],
        placed_on=o.placed_on[rows],
        pv=o.pv[rows],
        bv=o.bv[rows],
        sales=o.sales[rows],
        noncommissionable_sales=o.noncommissionable_sales[rows],
        retail_margin=o.retail_margin[rows],
        party=o.party[rows],
        kind=None if o.kind is None else o.kind[rows],
        lines=None
        if o.lines is None
        else dataclasses.replace(o.lines, order=len(o) - 1 - o.lines.order),
    )
    parties = inputs.parties
    if parties is not None:
        parties = dataclasses.replace(
            parties,
            consultant=perm[parties.consultant],
            host_member=np.where(parties.host_member >= 0, perm[parties.host_member], -1),
        )
    carry = inputs.carry_in
    if carry is not None:
        carry = CarryState(
            highest_rank=carry.highest_rank[inverse],
            values={key: value[inverse] for key, value in carry.values.items()},
        )
    return EngineInput(members, orders, parties, carry)

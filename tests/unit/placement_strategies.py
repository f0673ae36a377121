"""Hypothesis strategies for the placement-tree and dated-order bonus kinds: small
networks with a binary or matrix placement tree, joined dates around the period,
carry-in state, and plans using binary, matrix and fast start."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from fairtree.engine.inputs import CarryState, EngineInput, Members, OrderLines, Orders
from fairtree.plans.load import parse_plan

PERIOD = "2026-03"
ORDER_DAYS = np.array(
    ["2026-02-20", "2026-03-01", "2026-03-09", "2026-03-15", "2026-03-31", "2026-04-01"],
    dtype="datetime64[D]",
)
JOIN_DAYS = np.array(
    [
        "2025-11-01",
        "2026-02-10",
        "2026-02-25",
        "2026-03-01",
        "2026-03-08",
        "2026-03-20",
        "2026-03-02",
    ],
    dtype="datetime64[D]",
)
rates = st.integers(0, 2000).map(lambda bp: f"{bp / 100}%")
points = st.integers(0, 30000).map(lambda h: f"{h / 100}")
RANKS = [
    {"name": "R0", "conditions": {"pv": "50"}},
    {"name": "R1", "conditions": {"group_volume": "300"}},
    {"name": "R2", "conditions": {"group_volume": "800", "active_personal": 2}},
]


@st.composite
def placement(draw, n: int, width: int | None) -> tuple[list[int], list[int]]:
    """A placement forest: members join in a random order under an earlier member's
    free slot (0/1 in a binary tree when ``width`` is None, else 1..width), or start
    a tree of their own."""
    order = draw(st.permutations(range(n)))
    slots = [0, 1] if width is None else list(range(1, width + 1))
    parent, position = [-1] * n, [-1] * n
    taken: dict[int, set[int]] = {m: set() for m in range(n)}
    for k in range(1, n):
        member = order[k]
        if draw(st.integers(0, 9)) == 0:
            continue  # a second root now and then
        above = order[draw(st.integers(0, k - 1))]
        free = [s for s in slots if s not in taken[above]]
        if not free:
            continue
        slot = draw(st.sampled_from(free))
        taken[above].add(slot)
        parent[member], position[member] = above, slot
    return parent, position


# a small catalogue: products by id and category, and limits a bonus may pay on
PRODUCT_IDS = np.array(["KIT", "OIL", "TEA", "SAMPLER"], dtype=object)
PRODUCT_CATEGORIES = np.array(["kits", "oils", "", "kits"], dtype=object)
product_limits = st.sampled_from(
    [
        {"categories": ["kits"]},
        {"categories": ["oils", "kits"]},
        {"products": ["TEA"]},
        {"categories": ["oils"], "products": ["SAMPLER"]},
        {"categories": ["absent"]},
    ]
)


@st.composite
def order_lines(draw, pv: np.ndarray, bv: np.ndarray) -> OrderLines | None:
    """Each order's volume split over up to two products (lines add up to the order);
    sometimes an order has no lines (volume on no product)."""
    order, product, line_pv, line_bv = [], [], [], []
    for row in range(pv.shape[0]):
        shape = draw(st.sampled_from(["none", "one", "two", "two"]))
        if shape == "none":
            continue
        first = draw(st.integers(0, len(PRODUCT_IDS) - 1))
        if shape == "one":
            parts = [(first, int(pv[row]), int(bv[row]))]
        else:
            second = draw(st.integers(0, len(PRODUCT_IDS) - 1))
            cut = draw(st.integers(0, 4))
            pv_one, bv_one = int(pv[row]) * cut // 4, int(bv[row]) * cut // 4
            parts = [
                (first, pv_one, bv_one),
                (second, int(pv[row]) - pv_one, int(bv[row]) - bv_one),
            ]
        for item, p, b in parts:
            order.append(row)
            product.append(item)
            line_pv.append(p)
            line_bv.append(b)
    if not order and draw(st.booleans()):
        return None
    return OrderLines(
        order=np.array(order, dtype=np.int64),
        product=np.array(product, dtype=np.int32),
        pv=np.array(line_pv, dtype=np.int64),
        bv=np.array(line_bv, dtype=np.int64),
        product_ids=PRODUCT_IDS,
        product_category=PRODUCT_CATEGORIES,
    )


@st.composite
def placed_networks(draw, width: int | None = None, max_members: int = 18, max_orders: int = 30):
    n = draw(st.integers(1, max_members) | st.integers(6, max_members))
    sponsor = [-1] + [draw(st.integers(-1, k - 1)) for k in range(1, n)]
    perm = draw(st.permutations(range(n)))
    relabelled = [-1] * n
    for k in range(n):
        relabelled[perm[k]] = perm[sponsor[k]] if sponsor[k] >= 0 else -1
    parent, position = draw(placement(n, width))
    status = draw(st.lists(st.sampled_from([0, 0, 0, 0, 1, 2]), min_size=n, max_size=n))
    joined = draw(st.lists(st.integers(0, len(JOIN_DAYS) - 1), min_size=n, max_size=n))
    members = Members(
        ids=np.array([f"m{i}" for i in range(n)], dtype=object),
        sponsor=np.array(relabelled, dtype=np.int64),
        joined_on=JOIN_DAYS[np.array(joined, dtype=np.int64)],
        status=np.array(status, dtype=np.int8),
        placement_parent=np.array(parent, dtype=np.int64),
        placement_position=np.array(position, dtype=np.int8),
    )
    regulars = [m for m in range(n) if draw(st.sampled_from([True, True, True, False]))]
    extra = draw(st.integers(0, max_orders))
    k = len(regulars) + extra
    buyer = regulars + draw(st.lists(st.integers(0, n - 1), min_size=extra, max_size=extra))
    pv = draw(st.lists(st.integers(0, 25000), min_size=k, max_size=k))
    bv = draw(st.lists(st.integers(0, 25000), min_size=k, max_size=k))
    sign = [1] * len(regulars) + draw(
        st.lists(st.sampled_from([1, 1, 1, 1, -1]), min_size=extra, max_size=extra)
    )
    day = draw(st.lists(st.integers(0, len(ORDER_DAYS) - 1), min_size=k, max_size=k))
    customer = draw(st.lists(st.booleans(), min_size=k, max_size=k))
    z = np.zeros(k, dtype=np.int64)
    orders = Orders(
        ids=np.array([f"o{i}" for i in range(k)], dtype=object),
        buyer=np.array(buyer, dtype=np.int64),
        from_customer=np.array(customer, dtype=bool),
        placed_on=ORDER_DAYS[np.array(day, dtype=np.int64)] if k else ORDER_DAYS[:0],
        pv=np.array(pv, dtype=np.int64) * np.array(sign, dtype=np.int64),
        bv=np.array(bv, dtype=np.int64) * np.array(sign, dtype=np.int64),
        sales=z,
        noncommissionable_sales=z,
        retail_margin=z,
        party=np.full(k, -1, dtype=np.int64),
        lines=draw(order_lines(np.array(pv) * np.array(sign), np.array(bv) * np.array(sign))),
    )
    carry = {}
    for key in ("bin.left", "bin.right"):
        carry[key] = np.array(
            draw(st.lists(st.integers(0, 40000), min_size=n, max_size=n)), dtype=np.int64
        )
    carry["bin.first_pair"] = np.array(
        draw(st.lists(st.sampled_from([0, 100]), min_size=n, max_size=n)), dtype=np.int64
    )
    highest = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int16)
    return EngineInput(members, orders, carry_in=CarryState(highest, carry))


@st.composite
def binary_bonus(
    draw,
    whole_money: bool = False,
    rank_names: tuple[str, ...] | None = None,
    monotone_caps: bool = False,
    bonus_id: str = "bin",
) -> dict:
    """A binary bonus. Caps by rank rise with the rank; with ``monotone_caps`` members
    below every listed rank are capped too (uncapped there but capped higher up, or a
    cap that falls as rank rises, is a flat spot of the plan's own making)."""
    names = [r["name"] for r in RANKS] if rank_names is None else list(rank_names)
    bonus: dict = {"id": bonus_id, "kind": "binary", "volume": draw(st.sampled_from(["pv", "bv"]))}
    if draw(st.booleans()):
        bonus["weak_leg_rate"] = draw(rates)
    else:
        amounts = ["25", "100", *([] if whole_money else ["10.50", "0.01"])]
        bonus["pairs"] = {
            "pair_volume": str(draw(st.integers(1000, 12000)) / 100),
            "pair_amount": draw(st.sampled_from(amounts)),
            "first_pair": draw(st.sampled_from(["1:1", "2:1"])),
            "first_pair_scope": draw(st.sampled_from(["ever", "period"])),
        }
    bonus["carry"] = {
        "enabled": draw(st.sampled_from([True, True, False])),
        "flush_if_inactive": draw(st.booleans()),
        "flush_weaker_side": draw(st.booleans()),
    }
    if draw(st.booleans()):
        bonus["carry"]["max_carry"] = draw(points)
    if draw(st.booleans()):
        bonus["cap"] = draw(st.sampled_from(["0", "5", "40"]))
    if names and draw(st.booleans()):
        listed = sorted(draw(st.sets(st.sampled_from(names))), key=names.index)
        unit = 100 if whole_money else 1  # caps in cents, whole units for JPY
        steps = draw(st.lists(st.integers(0, 60), min_size=len(listed), max_size=len(listed)))
        cents = int(bonus.get("cap", "0")) * 100
        caps = []
        for step in steps:
            cents += step * unit * draw(st.sampled_from([1, 37]))
            caps.append(cents)
        bonus["cap_by_rank"] = {
            name: f"{cap // 100}.{cap % 100:02d}" for name, cap in zip(listed, caps, strict=True)
        }
        if monotone_caps and "cap" not in bonus and caps:
            bonus["cap"] = f"{caps[0] // 100}.{caps[0] % 100:02d}"
    bonus["requires_active_legs"] = draw(st.sampled_from([0, 0, 0, 1, 2]))
    if names and draw(st.sampled_from([True, False, False, False])):
        bonus["min_rank"] = draw(st.sampled_from(names))
    return bonus


@st.composite
def matrix_bonus(draw, width: int, bonus_id: str = "mx") -> dict:
    depth = draw(st.integers(1, 5))
    bonus = {
        "id": bonus_id,
        "kind": "matrix",
        "width": width,
        "volume": draw(st.sampled_from(["pv", "bv"])),
        "rates": draw(st.lists(rates, min_size=depth, max_size=depth)),
        "compression": draw(st.sampled_from(["none", "dynamic"])),
        "compressed_volume": draw(st.sampled_from(["roll_up", "breakage"])),
    }
    if draw(st.sampled_from([True, False, False])):
        bonus["min_rank"] = draw(st.sampled_from([r["name"] for r in RANKS]))
    if draw(st.sampled_from([True, False, False])):
        bonus["paid_on"] = draw(product_limits)
    return bonus


@st.composite
def fast_start_bonus(draw, rank_names: tuple[str, ...] | None = None, bonus_id="fs") -> dict:
    levels = draw(st.integers(1, 3))
    bonus = {
        "id": bonus_id,
        "kind": "fast_start",
        "volume": draw(st.sampled_from(["pv", "bv"])),
        "days": draw(st.sampled_from([1, 7, 14, 30, 30, 60, 60])),
        "rates": draw(st.lists(rates, min_size=levels, max_size=levels)),
        "receiver_min_pv": draw(st.sampled_from(["0", "0", "0", "50", "150"])),
        "receiver_needs_own_order": draw(st.sampled_from([False, False, True])),
    }
    names = [r["name"] for r in RANKS] if rank_names is None else list(rank_names)
    if names and draw(st.sampled_from([True, False, False])):
        bonus["min_rank"] = draw(st.sampled_from(names))
    if draw(st.sampled_from([True, False, False])):
        kind = draw(st.sampled_from([None, "subscription"]))
        bonus["receiver_qualifying_order"] = {"min_pv": draw(st.sampled_from(["50", "100"]))} | (
            {"kind": kind} if kind else {}
        )
    if draw(st.sampled_from([True, False, False])):
        bonus["paid_on"] = draw(product_limits)
    return bonus


def plan_doc(draw, currency: str, bonuses: list[dict]) -> dict:  # type: ignore[no-untyped-def]
    return {
        "plan": {"name": "generated"},
        "currency": currency,
        "rounding": draw(st.sampled_from(["half_up", "half_even", "down"])),
        "volumes": {
            "pv_from": draw(st.sampled_from(["pv", "bv"])),
            "customer_orders": draw(st.sampled_from(["owner", "none"])),
        },
        "activity": {"min_pv": draw(st.sampled_from(["0", "0", "50", "100"]))},
        "ranks": RANKS,
        "rank_basis": draw(st.sampled_from(["paid_as", "highest"])),
        "bonuses": bonuses,
    }


currencies = st.sampled_from(["USD", "USD", "JPY", "KWD"])


@st.composite
def binary_plans(draw, monotone_caps: bool = False):  # type: ignore[no-untyped-def]
    currency = draw(currencies)
    binary = binary_bonus(whole_money=currency == "JPY", monotone_caps=monotone_caps)
    bonuses = [draw(binary), draw(fast_start_bonus())]
    return parse_plan(plan_doc(draw, currency, bonuses), "generated.yaml")


@st.composite
def matrix_plans(draw, width: int):  # type: ignore[no-untyped-def]
    bonuses = [draw(matrix_bonus(width)), draw(fast_start_bonus())]
    return parse_plan(plan_doc(draw, draw(currencies), bonuses), "generated.yaml")

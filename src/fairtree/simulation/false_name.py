"""Fake accounts: does a member gain by enrolling accounts of their own? (Emek et al. 2011)

On the last simulated month, a sample of members each add fake accounts under
themselves and pay for the fakes' purchases (just enough PV to be active), in two ways:

- ``extra accounts``: two fakes recruited by the member;
- ``account in between``: one fake recruited by the member, with the member's own
  recruits moved under it (the member sits one level further up their downline).

The month is evaluated again by the engine with every sampled member cheating at
once; members are sampled so that none is above another in the sponsor or placement
tree, so one member's fakes cannot change another sampled member's pay. The gain is the
member's pay plus the fakes' pay, minus what the fakes bought, minus the honest pay.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fairtree.engine import CarryState, EngineInput, Members, Orders, evaluate
from fairtree.engine.evaluate import counted_pv, resolve_plan
from fairtree.genealogy.network import build_placement_tree
from fairtree.genealogy.placement_bulk import place_all
from fairtree.genealogy.tree import Tree, build_tree
from fairtree.money import format_amount
from fairtree.plans.load import PlanDocument
from fairtree.plans.schema import Plan
from fairtree.simulation.month_orders import Catalogue
from fairtree.simulation.report import percentile
from fairtree.simulation.simulate import SimulationRun

SAMPLE = 200
EXTRA_ACCOUNTS = 2


class _Names:
    def __init__(self, count: int) -> None:
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, rows: Any) -> Any:
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        return np.array([f"F{row + 1}" for row in rows], dtype=object)


def _not_nested(tree: Tree, members: np.ndarray) -> np.ndarray:
    """Keep members with no other kept-or-dropped candidate above them in ``tree``."""
    start = tree.position[members]
    order = np.argsort(start)
    ends = tree.end[start[order]]
    reach = np.maximum.accumulate(np.concatenate([[-1], ends[:-1]]))
    keep = np.zeros(members.shape[0], dtype=bool)
    keep[order] = start[order] >= reach
    return keep


def _sample(inputs: EngineInput, rng: np.random.Generator, size: int) -> np.ndarray:
    """Present members at the sponsor-tree depth with most of them (so none is above
    another), then thinned so none is above another in the placement tree either."""
    members = inputs.members
    sponsor_tree = build_tree(members.sponsor)
    depth = sponsor_tree.depth[sponsor_tree.position]
    present = (members.status == 0) & (depth > 0)
    if not present.any():
        return np.zeros(0, dtype=np.int64)
    level = int(np.argmax(np.bincount(depth[present])))
    pool = np.flatnonzero(present & (depth == level))
    chosen = np.sort(rng.choice(pool, size=min(size * 4, pool.shape[0]), replace=False))
    if members.placement_parent is not None:
        assert members.placement_position is not None
        placement = build_placement_tree(members.placement_parent, members.placement_position)
        chosen = chosen[_not_nested(placement.tree, chosen)]
    return np.sort(rng.permutation(chosen)[:size])


def _with_fakes(
    inputs: EngineInput,
    owners: np.ndarray,
    move_recruits: bool,
    placement_kind: str,
    binary_rule: str,
    matrix_width: int,
    unit: tuple[int, int, int, int],
) -> tuple[EngineInput, np.ndarray]:
    """The month's input with one fake per entry of ``owners`` appended; fake rows."""
    members, orders = inputs.members, inputs.orders
    n, k = len(members), owners.shape[0]
    fakes = np.arange(n, n + k, dtype=np.int64)
    sponsor = np.concatenate([members.sponsor, owners])
    parent = position = None
    if members.placement_parent is not None:
        full_parent, full_position = place_all(sponsor, placement_kind, binary_rule, matrix_width)
        parent = np.concatenate([members.placement_parent, full_parent[n:]])
        position = np.concatenate([members.placement_position, full_position[n:]])
    if move_recruits:
        sponsor = sponsor.copy()
        fake_of = np.full(n, -1, dtype=np.int64)
        fake_of[owners] = fakes
        recruit = np.flatnonzero(fake_of[np.maximum(sponsor[:n], 0)] >= 0)
        recruit = recruit[sponsor[recruit] >= 0]
        sponsor[recruit] = fake_of[sponsor[recruit]]
    units, pv, bv, price = unit
    ones = np.ones(k, dtype=np.int64)
    fake_members = Members(
        ids=np.concatenate([members.ids, np.array([f"FAKE{i + 1}" for i in range(k)], object)]),
        sponsor=sponsor,
        joined_on=np.concatenate([members.joined_on, np.full(k, orders.placed_on.max())]),
        status=np.concatenate([members.status, np.zeros(k, np.int8)]),
        placement_parent=parent,
        placement_position=position,
    )
    fake_orders = Orders(
        ids=_Names(len(orders) + k),
        buyer=np.concatenate([orders.buyer, fakes]),
        from_customer=np.concatenate([orders.from_customer, np.zeros(k, bool)]),
        placed_on=np.concatenate([orders.placed_on, np.full(k, orders.placed_on.max())]),
        pv=np.concatenate([orders.pv, ones * units * pv]),
        bv=np.concatenate([orders.bv, ones * units * bv]),
        sales=np.concatenate([orders.sales, ones * units * price]),
        noncommissionable_sales=np.concatenate([orders.noncommissionable_sales, 0 * ones]),
        retail_margin=np.concatenate([orders.retail_margin, 0 * ones]),
        party=np.concatenate([orders.party, -ones]),
    )
    carry = inputs.carry_in or CarryState.empty(n)
    grown = CarryState(
        highest_rank=np.concatenate([carry.highest_rank, np.zeros(k, np.int16)]),
        values={
            key: np.concatenate([value, np.zeros(k, value.dtype)])
            for key, value in carry.values.items()
        },
    )
    return EngineInput(fake_members, fake_orders, None, grown), fakes


def fake_account_check(
    plan: Plan | PlanDocument, run: SimulationRun, sample: int = SAMPLE, seed: int = 0
) -> dict[str, Any]:
    """Per strategy: how many sampled members gain by fakes, the median and largest gain."""
    inputs, period = run.last_input, run.last_period
    if inputs is None or period is None:
        raise ValueError("simulate(..., keep_last_input=True) keeps the month this check needs")
    in_force = resolve_plan(plan, period)
    scenario = run.scenario
    catalogue = Catalogue.of(scenario, run.currency)
    sku = scenario.sku_index(scenario.ordering.qualification.sku)
    unit_pv = int(
        counted_pv(
            in_force, np.zeros(1, bool), catalogue.pv[sku : sku + 1], catalogue.bv[sku : sku + 1]
        )[0]
    )
    units = max(1, -(-in_force.activity.min_pv // max(unit_pv, 1)))
    unit = (units, int(catalogue.pv[sku]), int(catalogue.bv[sku]), int(catalogue.member_price[sku]))
    cost = units * int(catalogue.member_price[sku])
    owners = _sample(inputs, np.random.default_rng(seed), sample)
    honest = evaluate(inputs, plan, period).member_total()[owners]
    placement = scenario.placement
    strategies: list[dict[str, Any]] = []
    for name, copies, move in (
        (f"{EXTRA_ACCOUNTS} extra accounts", EXTRA_ACCOUNTS, False),
        ("account in between", 1, True),
    ):
        repeated = np.repeat(owners, copies)
        cheat, fakes = _with_fakes(
            inputs,
            repeated,
            move,
            placement.kind,
            placement.binary_rule,
            placement.matrix_width,
            unit,
        )
        pay = evaluate(cheat, plan, period).member_total()
        fake_pay = pay[fakes].reshape(-1, copies).sum(axis=1)
        gain = pay[owners] + fake_pay - copies * cost - honest
        strategies.append(
            {
                "strategy": name,
                "members_tried": int(owners.shape[0]),
                "gain_share": float((gain > 0).mean()) if gain.size else 0.0,
                "median_gain": format_amount(percentile(gain, 50), run.currency),
                "largest_gain": format_amount(int(gain.max()) if gain.size else 0, run.currency),
            }
        )
    worst = max(strategies, key=lambda s: s["gain_share"])
    verdict = (
        "fake accounts pay for some members"
        if worst["gain_share"] > 0
        else "no sampled member gained from fake accounts"
    )
    return {
        "month": period.key,
        "fake_account_cost": format_amount(cost, run.currency),
        "summary": (
            f"In {period.key}, {verdict}: with '{worst['strategy']}', "
            f"{100 * worst['gain_share']:.1f}% of {worst['members_tried']} members tried "
            f"would have gained (largest gain {worst['largest_gain']})."
        ),
        "strategies": strategies,
    }

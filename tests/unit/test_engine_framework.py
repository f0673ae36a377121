import numpy as np
import pytest

from fairtree.engine import registry
from fairtree.engine.evaluate import evaluate
from fairtree.engine.explain import explain_member
from fairtree.engine.inputs import EngineInput, Members, Orders
from fairtree.errors import PlanError
from fairtree.periods import Period
from fairtree.plans.load import parse_plan

PLAN = {
    "plan": {"name": "t"},
    "currency": "USD",
    "activity": {"min_pv": 50},
    "ranks": [{"name": "Leader", "conditions": {"group_volume": 150, "active_personal": 1}}],
    "bonuses": [
        {
            "id": "uni",
            "kind": "unilevel",
            "rates": ["10%", "5%"],
            "depth_by_rank": {"Leader": 2},
            "min_rank": None,
        }
    ],
}


def chain_input():
    """A <- B <- C (C at the bottom); B inactive."""
    n = 3
    members = Members(
        ids=np.array(["A", "B", "C"], dtype=object),
        sponsor=np.array([-1, 0, 1]),
        joined_on=np.array(["2026-01-01"] * n, dtype="datetime64[D]"),
        status=np.zeros(n, dtype=np.int8),
    )
    orders = Orders(
        ids=np.array(["o1", "o2", "o3"], dtype=object),
        buyer=np.array([0, 1, 2]),
        from_customer=np.zeros(3, dtype=bool),
        placed_on=np.array(["2026-03-02"] * 3, dtype="datetime64[D]"),
        pv=np.array([10000, 1000, 8000]),
        bv=np.array([10000, 1000, 8000]),
        sales=np.zeros(3, dtype=np.int64),
        noncommissionable_sales=np.zeros(3, dtype=np.int64),
        retail_margin=np.zeros(3, dtype=np.int64),
        party=np.full(3, -1),
    )
    return EngineInput(members, orders)


def test_unilevel_with_rank_depth_and_compression():
    result = evaluate(chain_input(), parse_plan(PLAN, "t.yaml"), Period.parse("2026-03"))
    # GV(A) = 100 + 10 + 80 = 190 >= 150 but A has no active personal (B inactive): no rank,
    # so A is paid 0 levels (depth_by_rank lists only Leader) -> all breakage.
    assert result.paid_as.tolist() == [0, 0, 0]
    assert result.pay("uni").tolist() == [0, 0, 0]
    assert result.outcomes["uni"].pool == 2850  # 15% of 190.00
    assert result.outcomes["uni"].breakage == 2850


def test_unregistered_kind_is_refused_before_running(monkeypatch):
    registry.get_kind("unilevel")
    monkeypatch.delitem(registry._KINDS, "unilevel")
    with pytest.raises(
        PlanError, match=r"t.yaml:bonuses\[0\].kind \[kind\]: bonus kind 'unilevel'"
    ):
        evaluate(chain_input(), parse_plan(PLAN, "t.yaml"), Period.parse("2026-03"))


def test_explain_lists_compression_skip_and_orders():
    plan = dict(PLAN, ranks=[], bonuses=[{"id": "uni", "kind": "unilevel", "rates": ["10%", "5%"]}])
    lines = explain_member(chain_input(), parse_plan(plan, "t.yaml"), Period.parse("2026-03"), "A")
    [line] = lines
    # B (10 BV, inactive, rolls up) -> A level 1: 1.00; C (80 BV) -> A level 1 past B: 8.00
    assert line.amount == 900
    sources = [(c.source, c.level, c.skipped, c.orders) for c in line.contributions]
    assert sources == [("B", 1, (), ("o2",)), ("C", 1, ("B",), ("o3",))]
    assert "compressed past B" in "\n".join(line.describe("USD"))


def test_carry_out_feeds_the_next_period():
    plan = parse_plan(
        dict(PLAN, ranks=[{"name": "Leader", "conditions": {"group_volume": 150}}]), "t.yaml"
    )
    inputs = chain_input()
    march = evaluate(inputs, plan, Period.parse("2026-03"))
    # A: active, GV 100 + 10 + 80 = 190 >= 150 -> Leader; B inactive; C: GV 80 < 150
    assert march.paid_as.tolist() == [1, 0, 0]
    april = evaluate(
        EngineInput(inputs.members, inputs.orders, carry_in=march.carry_out),
        plan,
        Period.parse("2026-04"),  # no orders in April: nobody active, nobody ranked
    )
    assert april.paid_as.tolist() == [0, 0, 0]
    assert april.highest.tolist() == march.highest.tolist() == [1, 0, 0]

"""Binary, matrix and fast start: explanations name the figures behind each line,
caps resolve by rank, and a network without a placement tree pays no binary."""

from pathlib import Path

import numpy as np

from fairtree.engine.evaluate import evaluate
from fairtree.engine.explain import explain_member
from fairtree.engine.inputs import CarryState, EngineInput, Members
from fairtree.engine.kinds.binary import cap_lookup
from fairtree.periods import Period
from fairtree.plan_cases.case_format import CarryIn
from fairtree.plan_cases.case_input import case_input
from fairtree.plan_cases.runner import load_case
from fairtree.plans.load import load_plan, parse_plan

ROOT = Path(__file__).resolve().parents[2]
HYBRID = ROOT / "plans" / "binary-hybrid"
MATRIX = ROOT / "plans" / "forced-matrix"


def case_inputs(plan_dir: Path, name: str):
    case = load_case(plan_dir / "cases" / name)
    document = load_plan(plan_dir / "plan.yaml")
    period = Period.parse(case.period)
    return case_input(case, document.for_date(period.start)), document, period


def line_of(lines, bonus_id):
    [line] = [line for line in lines if line.bonus_id == bonus_id]
    return line


def test_binary_explanation_shows_legs_carry_and_cap():
    inputs, plan, period = case_inputs(HYBRID, "04_rank_caps.yaml")
    line = line_of(explain_member(inputs, plan, period, "A"), "binary")
    assert line.amount == 10000
    assert line.exact == "120"
    assert line.rank == "Director"
    assert "cap 100.00 USD (cut 20.00 USD as breakage)" in line.rule
    left, right = line.contributions
    assert (left.source, left.base, right.source, right.base) == ("B", 210000, "C", 120000)
    assert "paid on 1200.00; carries out 500.00" in left.note
    assert "paid on 1200.00; carries out 0.00" in right.note
    assert (left.rate, left.level) == (100000, 0)  # 10% of the weaker leg


def test_binary_explanation_says_why_unqualified():
    inputs, plan, period = case_inputs(HYBRID, "05_needs_enrollee_in_each_leg.yaml")
    line = line_of(explain_member(inputs, plan, period, "A"), "binary")
    assert line.amount == 0
    assert all(not c.paid for c in line.contributions)
    assert "needs an active personal enrollee in 2 leg(s), has 1" in line.contributions[0].note


def test_fast_start_explanation_lists_window_orders():
    inputs, plan, period = case_inputs(HYBRID, "07_fast_start_window_and_returns.yaml")
    line = line_of(explain_member(inputs, plan, period, "B"), "fast_start")
    assert line.amount == 3800
    [from_c] = line.contributions
    assert (from_c.source, from_c.level, from_c.base) == ("C", 1, 19000)
    assert sorted(from_c.orders) == ["c1", "c2", "c4"]  # c3 is day 31
    unpaid = line_of(explain_member(inputs, plan, period, "A"), "fast_start")
    assert unpaid.amount == 0
    assert {c.note for c in unpaid.contributions} == {"receiver placed no own order this period"}


def test_matrix_explanation_names_compressed_members():
    inputs, plan, period = case_inputs(MATRIX, "02_dynamic_compression.yaml")
    line = line_of(explain_member(inputs, plan, period, "A"), "matrix")
    assert line.amount == 1990
    from_g = [c for c in line.contributions if c.source == "G"]
    assert [(c.level, c.skipped) for c in from_g] == [(3, ("E",))]


def test_cap_takes_highest_listed_rank_at_or_below():
    plan = parse_plan(
        {
            "plan": {"name": "caps"},
            "currency": "USD",
            "ranks": [{"name": n} for n in ("R1", "R2", "R3", "R4")],
            "bonuses": [
                {
                    "id": "bin",
                    "kind": "binary",
                    "weak_leg_rate": "10%",
                    "cap": "5",
                    "cap_by_rank": {"R2": "50", "R4": "30"},
                }
            ],
        },
        "caps.yaml",
    ).base
    # no rank -> cap 5; R1 -> 5; R2, R3 -> 50; R4 -> 30 (a listed lower cap wins)
    assert cap_lookup(plan, plan.bonuses[0]).tolist() == [500, 500, 5000, 5000, 3000]


def test_binary_without_placement_tree_pays_nothing_and_keeps_carry():
    inputs, plan, period = case_inputs(HYBRID, "01_weak_leg_basic.yaml")
    m = inputs.members
    unplaced = EngineInput(
        Members(ids=m.ids, sponsor=m.sponsor, joined_on=m.joined_on, status=m.status),
        inputs.orders,
        carry_in=CarryState(
            highest_rank=np.zeros(len(m), dtype=np.int16),
            values={"binary.left": np.array([7000, 0, 0, 0, 0])},
        ),
    )
    result = evaluate(unplaced, plan, period)
    assert result.pay("binary").tolist() == [0, 0, 0, 0, 0]
    assert result.carry_out.values["binary.left"].tolist() == [7000, 0, 0, 0, 0]


def test_binary_carry_out_feeds_the_next_period():
    """Case 05 (March) then case 06 (April): March's carry-out, handed over as the
    engine returns it, gives April's hand-computed binary pay and carry."""
    march_case = load_case(HYBRID / "cases" / "05_needs_enrollee_in_each_leg.yaml")
    april_case = load_case(HYBRID / "cases" / "06_next_period_with_new_enrollee.yaml")
    document = load_plan(HYBRID / "plan.yaml")
    # the April network (E joins on April 5th) with March's orders and no carry-in
    march = april_case.model_copy(
        update={"period": "2026-03", "orders": march_case.orders, "carry_in": CarryIn()}
    )
    march_inputs = case_input(march, document.base)
    first = evaluate(march_inputs, document, Period.parse("2026-03"))
    ids = [str(i) for i in first.member_ids]
    left = dict(zip(ids, first.carry_out.values["binary.left"].tolist(), strict=True))
    right = dict(zip(ids, first.carry_out.values["binary.right"].tolist(), strict=True))
    assert (left["A"], left["B"], right["A"]) == (25000, 15000, 8000)  # as case 05 expects

    april = case_input(april_case.model_copy(update={"carry_in": CarryIn()}), document.base)
    handed_over = EngineInput(april.members, april.orders, april.parties, first.carry_out)
    second = evaluate(handed_over, document, Period.parse("2026-04"))
    pay = dict(zip(ids, second.pay("binary").tolist(), strict=True))
    assert pay == {"A": 3300, "B": 0, "C": 0, "D": 0, "E": 0}
    carried = dict(zip(ids, second.carry_out.values["binary.left"].tolist(), strict=True))
    assert carried == {"A": 2000, "B": 15000, "C": 0, "D": 20000, "E": 0}

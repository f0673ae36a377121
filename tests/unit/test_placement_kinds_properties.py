"""Binary, matrix and fast start: the vectorized engine agrees with the reference
evaluator to the cent (pay, pool, carry-out, the binary leg volumes shown), pay is
conserved, explanations add up, and renumbering the members changes nothing."""

import dataclasses
import os
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fairtree.engine.evaluate import build_context, evaluate, run_bonuses
from fairtree.engine.kinds.binary import settle, settle_numpy
from fairtree.engine.reference import evaluate_reference
from fairtree.engine.registry import get_kind
from fairtree.money import currency_exponent, round_decimal
from fairtree.periods import Period
from fairtree.plans.values import RATE_SCALE
from tests.unit.engine_strategies import relabel, with_extra_order
from tests.unit.placement_strategies import binary_plans, matrix_plans, placed_networks

PERIOD = Period.parse("2026-03")
EXAMPLES = int(os.environ.get("FAIRTREE_PROPERTY_EXAMPLES", "300"))  # raise for a long run


def assert_same(fast, slow):
    assert fast.active.tolist() == slow.active.tolist()
    assert fast.paid_as.tolist() == slow.paid_as.tolist()
    for bonus_id in fast.bonus_ids:
        a, b = fast.outcomes[bonus_id], slow.outcomes[bonus_id]
        assert a.pay.tolist() == b.pay.tolist(), bonus_id
        assert a.pool == b.pool, bonus_id
        assert sorted(a.carry_out) == sorted(b.carry_out), bonus_id
        for key in a.carry_out:
            assert a.carry_out[key].tolist() == b.carry_out[key].tolist(), (bonus_id, key)
        assert sorted(a.shown) == sorted(b.shown), bonus_id
        for key in a.shown:
            assert a.shown[key].tolist() == b.shown[key].tolist(), (bonus_id, key)


def assert_conserved(result):
    for outcome in result.outcomes.values():
        assert outcome.pay.min(initial=0) >= 0
        assert outcome.paid + outcome.breakage == outcome.pool
        assert outcome.breakage >= -int((outcome.pay > 0).sum())  # rounding only


@settings(max_examples=EXAMPLES, deadline=None)
@given(placed_networks(), binary_plans())
def test_binary_agrees_with_reference(inputs, plan):
    fast = evaluate(inputs, plan, PERIOD)
    assert_same(fast, evaluate_reference(inputs, plan, PERIOD))
    assert_conserved(fast)
    for value in fast.carry_out.values.values():
        assert value.min(initial=0) >= 0


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(2, 4).flatmap(lambda w: st.tuples(placed_networks(width=w), matrix_plans(w))))
def test_matrix_agrees_with_reference(drawn):
    inputs, plan = drawn
    fast = evaluate(inputs, plan, PERIOD)
    assert_same(fast, evaluate_reference(inputs, plan, PERIOD))
    assert_conserved(fast)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda w: st.tuples(
            placed_networks(None if w == 2 else w), binary_plans() if w == 2 else matrix_plans(w)
        )
    )
)
def test_explain_amount_equals_pay_and_adds_up(drawn):
    inputs, document = drawn
    plan = document.base
    ctx = build_context(inputs, plan, PERIOD)
    outcomes = run_bonuses(ctx)
    exponent = currency_exponent(plan.currency)
    for bonus in plan.bonuses:
        kind = get_kind(bonus.kind)
        for member in range(ctx.size):
            lines = kind.explain(ctx, bonus, outcomes[bonus.id], member)
            paid = int(outcomes[bonus.id].pay[member])
            if paid:
                assert [line.amount for line in lines] == [paid]
            for line in lines:
                assert line.amount == paid
                assert line.describe(plan.currency)[0].startswith(bonus.id)
                rounded = round_decimal(Decimal(line.exact).scaleb(exponent), plan.rounding)
                if bonus.kind == "binary":  # exact is before the cap; the cap only cuts
                    assert rounded >= paid
                    assert (rounded == paid) or "as breakage" in line.rule
                    continue
                parts = [c for c in line.contributions if c.paid]
                exact = sum((Decimal(c.base) * c.rate for c in parts), Decimal(0))
                assert Decimal(line.exact) == exact / (RATE_SCALE * 100)
                assert rounded == paid


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda w: st.tuples(
            placed_networks(None if w == 2 else w),
            binary_plans() if w == 2 else matrix_plans(w),
            st.randoms(),
        )
    )
)
def test_relabelling_members_changes_nothing(drawn):
    inputs, plan, rnd = drawn
    n = len(inputs.members)
    perm = np.array(rnd.sample(range(n), n), dtype=np.int64)
    before = evaluate(inputs, plan, PERIOD)
    after = evaluate(relabel(inputs, perm), plan, PERIOD)
    for bonus_id in before.bonus_ids:
        assert after.pay(bonus_id)[perm].tolist() == before.pay(bonus_id).tolist()
        assert after.outcomes[bonus_id].pool == before.outcomes[bonus_id].pool
    for key, value in before.carry_out.values.items():
        assert after.carry_out.values[key][perm].tolist() == value.tolist()


@settings(max_examples=EXAMPLES, deadline=None)
@given(placed_networks(), binary_plans(monotone_caps=True), st.data())
def test_binary_and_fast_start_have_no_flat_spots(inputs, plan, data):
    """An extra order anywhere never lowers anyone's binary or fast start pay."""
    buyer = data.draw(st.integers(0, len(inputs.members) - 1))
    pv, bv = data.draw(st.integers(0, 20000)), data.draw(st.integers(0, 20000))
    before = evaluate(inputs, plan, PERIOD)
    after = evaluate(with_extra_order(inputs, buyer, pv, bv), plan, PERIOD)
    for bonus_id in before.bonus_ids:
        assert (after.pay(bonus_id) >= before.pay(bonus_id)).all(), bonus_id


@settings(max_examples=EXAMPLES, deadline=None)
@given(placed_networks(), binary_plans(), st.booleans())
def test_binary_compiled_settlement_equals_numpy(inputs, plan, carried):
    """The one-pass weak-leg settlement pays, pools and carries exactly as the numpy
    passes, with and without carry-in."""
    if not carried:
        inputs = dataclasses.replace(inputs, carry_in=None)
    resolved = plan.for_date(PERIOD.start)
    config = next(b for b in resolved.bonuses if b.kind == "binary")
    ctx = build_context(inputs, resolved, PERIOD)
    fast, slow = settle(ctx, config), settle_numpy(ctx, config)
    assert fast.pay.tolist() == slow.pay.tolist()
    assert fast.pool == slow.pool
    assert fast.carry_left.tolist() == slow.carry_left.tolist()
    assert fast.carry_right.tolist() == slow.carry_right.tolist()
    assert fast.first_pair_out.tolist() == slow.first_pair_out.tolist()
    assert fast.legs_left.tolist() == slow.legs_left.tolist()
    assert fast.legs_right.tolist() == slow.legs_right.tolist()

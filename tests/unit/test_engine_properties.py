"""The vectorized engine and the reference evaluator agree to the cent; pay is
conserved, monotone where the plan promises it, and blind to member numbering."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fairtree.engine.evaluate import evaluate
from fairtree.engine.reference import evaluate_reference
from fairtree.periods import Period
from tests.unit.engine_strategies import networks, plans, relabel, with_extra_order

PERIOD = Period.parse("2026-03")


def assert_same(fast, slow):
    assert fast.pv.tolist() == slow.pv.tolist()
    assert fast.group_volume.tolist() == slow.group_volume.tolist()
    assert fast.active.tolist() == slow.active.tolist()
    assert fast.paid_as.tolist() == slow.paid_as.tolist()
    for bonus_id in fast.bonus_ids:
        a, b = fast.outcomes[bonus_id], slow.outcomes[bonus_id]
        assert a.pay.tolist() == b.pay.tolist(), bonus_id
        assert a.pool == b.pool, bonus_id
        assert a.breakage == b.breakage, bonus_id
        assert a.credits == b.credits, bonus_id
        for key in a.carry_out:
            assert a.carry_out[key].tolist() == b.carry_out[key].tolist(), (bonus_id, key)


@settings(max_examples=150, deadline=None)
@given(networks(), plans())
def test_engine_agrees_with_reference(inputs, plan):
    assert_same(evaluate(inputs, plan, PERIOD), evaluate_reference(inputs, plan, PERIOD))


@settings(max_examples=100, deadline=None)
@given(networks(), plans())
def test_conservation_paid_plus_breakage_is_pool(inputs, plan):
    result = evaluate(inputs, plan, PERIOD)
    for outcome in result.outcomes.values():
        assert outcome.pay.min(initial=0) >= 0
        assert outcome.paid + outcome.breakage == outcome.pool
        # breakage is never negative beyond the rounding of each paid line
        assert outcome.breakage >= -int((outcome.pay > 0).sum())


@settings(max_examples=100, deadline=None)
@given(networks(), plans(), st.randoms())
def test_relabelling_members_changes_nothing(inputs, plan, rnd):
    n = len(inputs.members)
    perm = np.array(rnd.sample(range(n), n), dtype=np.int64)
    before = evaluate(inputs, plan, PERIOD)
    after = evaluate(relabel(inputs, perm), plan, PERIOD)
    assert after.paid_as[perm].tolist() == before.paid_as.tolist()
    for bonus_id in before.bonus_ids:
        assert after.pay(bonus_id)[perm].tolist() == before.pay(bonus_id).tolist()
        assert after.outcomes[bonus_id].pool == before.outcomes[bonus_id].pool
        assert after.outcomes[bonus_id].credits == before.outcomes[bonus_id].credits


@settings(max_examples=150, deadline=None)
@given(networks(), plans(), st.data())
def test_no_flat_spots_without_compression(inputs, plan, data):
    """Without compression more volume anywhere never lowers anyone's pay or rank.

    (Dynamic compression and shared pools do not promise this: a member who becomes
    active takes a level, and a new pool qualifier takes a share.)
    """
    levelled = [b for b in plan.base.bonuses if b.kind in ("unilevel", "matching")]
    kept = [b for b in plan.base.bonuses if b.kind in ("binary", "fast_start")]
    kept_ids = {b.id for b in levelled + kept}

    def without_compression(bonus):
        update = {"compression": "none"}
        if bonus.kind == "matching":
            update["of"] = [other for other in bonus.of if other in kept_ids]
        return bonus.model_copy(update=update)

    plan = plan.base.model_copy(
        update={"bonuses": kept + [without_compression(b) for b in levelled]}
    )
    n = len(inputs.members)
    buyer = data.draw(st.integers(0, n - 1))
    pv, bv = data.draw(st.integers(0, 20000)), data.draw(st.integers(0, 20000))
    before = evaluate(inputs, plan, PERIOD)
    after = evaluate(with_extra_order(inputs, buyer, pv, bv), plan, PERIOD)
    assert (after.paid_as >= before.paid_as).all()
    assert (after.member_total() >= before.member_total()).all()

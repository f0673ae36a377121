"""Every payout line can be explained, and the explanation adds up to the line."""

from decimal import Decimal

from hypothesis import given, settings

from fairtree.engine.evaluate import evaluate
from fairtree.engine.explain import explain_member
from fairtree.money import RoundingRule, currency_exponent, round_decimal
from fairtree.periods import Period
from fairtree.plans.values import RATE_SCALE
from tests.unit.engine_strategies import networks, plans

PERIOD = Period.parse("2026-03")


@settings(max_examples=60, deadline=None)
@given(networks(max_members=12), plans())
def test_explain_matches_every_line(inputs, plan):
    result = evaluate(inputs, plan, PERIOD)
    currency = plan.base.currency
    for row, member in enumerate(result.member_ids):
        lines = explain_member(inputs, plan, PERIOD, str(member))
        by_bonus = {line.bonus_id: line for line in lines}
        for bonus_id, outcome in result.outcomes.items():
            pay = int(outcome.pay[row])
            line = by_bonus.get(bonus_id)
            if pay:
                assert line is not None, (member, bonus_id)
            if line is None:
                continue
            assert line.amount == pay
            if line.kind in ("unilevel", "matching"):
                paid = [c for c in line.contributions if c.paid]
                scale = 10 ** currency_exponent(currency) if line.kind == "matching" else 100
                numerator = sum((Decimal(c.base) * c.rate for c in paid), Decimal(0))
                exact = numerator / (RATE_SCALE * scale)
                assert Decimal(line.exact) == exact
                rule = RoundingRule(line.rounding)
                assert round_decimal(exact.scaleb(currency_exponent(currency)), rule) == pay

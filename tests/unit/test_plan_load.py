import datetime as dt

import pytest

from fairtree.errors import PlanError
from fairtree.plans.load import parse_plan


def base(**extra):
    doc = {
        "plan": {"name": "test"},
        "currency": "USD",
        "ranks": [
            {"name": "Bronze", "conditions": {"pv": 100}},
            {"name": "Silver", "conditions": {"group_volume": "1000.50"}},
        ],
        "bonuses": [
            {"id": "uni", "kind": "unilevel", "rates": ["5%", 2.5], "depth_by_rank": {"Silver": 2}},
        ],
    }
    doc.update(extra)
    return doc


def problems(doc):
    with pytest.raises(PlanError) as caught:
        parse_plan(doc, "plan.yaml")
    return [(p.source, p.location, p.reason) for p in caught.value.problems]


def test_valid_plan_values_are_exact():
    plan = parse_plan(base(), "plan.yaml").base
    assert plan.ranks[1].conditions.group_volume == 100050
    assert plan.bonuses[0].rates == [50000, 25000]
    assert plan.rank_index("Silver") == 2


def test_unknown_key_named_with_path():
    doc = base()
    doc["bonuses"][0]["ratez"] = ["1%"]
    assert ("plan.yaml", "bonuses[0].ratez", "unknown key") in problems(doc)


def test_rate_above_100_percent():
    doc = base()
    doc["bonuses"][0]["rates"] = ["5%", "101%"]
    [(source, location, reason)] = problems(doc)
    assert (source, location) == ("plan.yaml", "bonuses[0].rates[1]")
    assert "above 100%" in reason


def test_negative_volume():
    doc = base()
    doc["ranks"][0]["conditions"]["pv"] = -5
    [(_, location, reason)] = problems(doc)
    assert location == "ranks[0].conditions.pv"
    assert "must not be negative" in reason


def test_unknown_rank_in_condition_and_table():
    doc = base()
    doc["ranks"][1]["conditions"]["legs_with_rank"] = [{"rank": "Gold", "legs": 2}]
    doc["bonuses"][0]["depth_by_rank"] = {"Platinum": 1}
    found = problems(doc)
    assert ("plan.yaml", "ranks[1].conditions.legs_with_rank[0].rank") in [f[:2] for f in found]
    assert any(
        loc == "bonuses[0].depth_by_rank.Platinum" and "unknown rank 'Platinum'" in why
        for _, loc, why in found
    )


def test_legs_with_rank_must_name_lower_rank():
    doc = base()
    doc["ranks"][1]["conditions"]["legs_with_rank"] = [{"rank": "Silver", "legs": 2}]
    [(_, location, reason)] = problems(doc)
    assert location == "ranks[1].conditions.legs_with_rank[0].rank"
    assert "below 'Silver'" in reason


def test_cycle_between_bonuses():
    doc = base()
    doc["bonuses"] += [
        {"id": "m1", "kind": "matching", "of": ["m2"], "rates": ["10%"]},
        {"id": "m2", "kind": "matching", "of": ["m1", "uni"], "rates": ["10%"]},
    ]
    found = problems(doc)
    assert any("cycle: m1 -> m2 -> m1" in why for _, _, why in found)


def test_unknown_bonus_kind():
    doc = base()
    doc["bonuses"][0]["kind"] = "pyramid"
    [(_, location, reason)] = problems(doc)
    assert location == "bonuses[0]"
    assert "unknown bonus kind" in reason


def test_dated_change_applies_from_its_date():
    doc = base(
        changes=[
            {"effective_from": dt.date(2026, 6, 1), "set": {"bonuses[uni].rates[0]": "7%"}},
            {"effective_from": dt.date(2026, 4, 1), "set": {"ranks[Bronze].conditions.pv": 80}},
        ]
    )
    document = parse_plan(doc, "plan.yaml")
    march = document.for_date(dt.date(2026, 3, 1))
    april = document.for_date(dt.date(2026, 4, 1))
    june = document.for_date(dt.date(2026, 6, 1))
    assert march.bonuses[0].rates[0] == 50000 and march.ranks[0].conditions.pv == 10000
    assert april.bonuses[0].rates[0] == 50000 and april.ranks[0].conditions.pv == 8000
    assert june.bonuses[0].rates[0] == 70000 and june.ranks[0].conditions.pv == 8000


def test_dated_change_that_breaks_the_plan_is_refused():
    doc = base(
        changes=[{"effective_from": dt.date(2026, 6, 1), "set": {"bonuses[uni].rates[0]": "150%"}}]
    )
    [(_, location, reason)] = problems(doc)
    assert location == "changes[0] (2026-06-01): bonuses[0].rates[0]"
    assert "above 100%" in reason


def test_dated_change_to_unknown_path():
    doc = base(
        changes=[{"effective_from": dt.date(2026, 6, 1), "set": {"bonuses[nope].rates": []}}]
    )
    [(_, location, reason)] = problems(doc)
    assert location == "changes[0].set"
    assert "no such plan path" in reason

"""What a member still needs for the next rank, from live figures."""

from __future__ import annotations

from fairtree.engine.rank_progress import LiveFigures, capped_legs, leg_caps, rank_progress
from fairtree.plans.load import parse_plan

PLAN = {
    "plan": {"name": "progress"},
    "currency": "USD",
    "activity": {"min_pv": 50},
    "ranks": [
        {"name": "bronze", "conditions": {"pv": 50}},
        {
            "name": "silver",
            "conditions": {
                "max_leg": {"requirement": 1000, "max_leg_percent": "50%"},
                "active_personal": 2,
            },
        },
        {"name": "gold", "conditions": {"legs_with_rank": [{"rank": "silver", "legs": 2}]}},
    ],
}


def plan():
    return parse_plan(PLAN, "test").base


def needs(progress):
    return [(n.condition, n.have, n.need, n.missing) for n in progress.needs]


def test_an_inactive_member_is_told_the_activity_volume_first() -> None:
    progress = rank_progress(plan(), LiveFigures(pv=2000, group_volume=2000))
    assert (progress.rank, progress.next_rank) == (None, "bronze")
    assert needs(progress) == [("active_pv", 2000, 5000, 3000), ("pv", 2000, 5000, 3000)]


def test_max_leg_counts_each_leg_at_most_its_cap() -> None:
    # Requirement 1000.00 points, any leg counts at most 500.00: 60 + 500 + 300 = 860.
    caps = leg_caps(plan())
    assert caps == [50000]
    figures = LiveFigures(
        pv=6000,
        group_volume=156000,
        capped_legs=capped_legs([120000, 30000], caps),
        active_frontline=1,
    )
    progress = rank_progress(plan(), figures)
    assert (progress.rank, progress.next_rank) == ("bronze", "silver")
    assert needs(progress) == [
        ("max_leg_volume", 86000, 100000, 14000),
        ("active_personal", 1, 2, 1),
    ]


def test_rank_conditions_on_downline_ranks_are_left_to_the_close() -> None:
    figures = LiveFigures(
        pv=6000,
        group_volume=200000,
        capped_legs=capped_legs([50000, 50000], leg_caps(plan())),
        active_frontline=2,
    )
    progress = rank_progress(plan(), figures)
    assert (progress.rank, progress.next_rank) == ("silver", "gold")
    ((condition, have, need, missing),) = needs(progress)
    assert (condition, have, need, missing) == ("legs_with_silver", None, 2, None)
    assert progress.needs[0].met is None


def test_a_terminated_member_reaches_no_rank() -> None:
    progress = rank_progress(plan(), LiveFigures(pv=9000, group_volume=9000, status_allowed=False))
    assert progress.rank is None and progress.next_rank == "bronze"


def test_the_next_rank_is_counted_from_the_rank_held_not_from_the_first() -> None:
    # Paid as silver last period, nothing yet this period: the next rank is gold, and
    # its needs are those of every rank up to it (ranks are cumulative), one per condition.
    figures = LiveFigures(pv=0, group_volume=0)
    progress = rank_progress(plan(), figures, held="silver")
    assert (progress.rank, progress.held, progress.next_rank) == (None, "silver", "gold")
    assert needs(progress) == [
        ("active_pv", 0, 5000, 5000),
        ("pv", 0, 5000, 5000),
        ("max_leg_volume", 0, 100000, 100000),
        ("active_personal", 0, 2, 2),
        ("legs_with_silver", None, 2, None),
    ]


def test_live_figures_above_the_rank_held_count_from_the_live_rank() -> None:
    figures = LiveFigures(pv=6000, group_volume=6000)
    progress = rank_progress(plan(), figures, held=None)
    assert (progress.rank, progress.next_rank) == ("bronze", "silver")
    assert rank_progress(plan(), figures, held="bronze").next_rank == "silver"


def test_the_top_rank_held_has_no_next_rank_but_says_what_keeping_it_needs() -> None:
    progress = rank_progress(plan(), LiveFigures(pv=6000, group_volume=6000), held="gold")
    assert (progress.rank, progress.next_rank) == ("bronze", None)
    assert [n.condition for n in progress.needs] == [
        "max_leg_volume",
        "active_personal",
        "legs_with_silver",
    ]

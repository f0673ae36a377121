"""Posting an order keeps the buyer's PV, every upline member's group volume and their
frontline aggregates current; progress reads them without scanning any frontline."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy.orm import Session

from fairtree.engine.evaluate import counted_pv
from fairtree.errors import ValidationError
from fairtree.genealogy.tree import build_tree
from fairtree.periods import Period
from fairtree.services.member_data.goals import measure
from fairtree.services.network.genealogy import move, terminate
from fairtree.services.orders.order_intake import OrderRequest, post
from fairtree.services.orders.rank_progress import (
    NewLine,
    line_progress,
    plan_on,
    post_order,
    rebuild_period_volumes,
    refresh_after_tree_change,
)
from fairtree.store.models import Goal, Member
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts
from fairtree.store.repositories.orders import running_volumes as volumes
from tests.factories import MAX_LEG_PLAN, add_plan, member_db_id, product, seed_company


@pytest.fixture
def company(session: Session) -> Session:
    created = seed_company(session, orders=False)
    add_plan(session, created.id, MAX_LEG_PLAN, "v2", date(2026, 1, 1))
    session.add(product("Q", retail_price=5000, member_price=4000, pv=5000, bv=4000))
    session.flush()
    return session


def summary(session: Session, member: str) -> list[tuple]:
    return [
        (p.member_id, p.depth, p.pv, p.group_volume, p.progress.rank, p.progress.next_rank)
        for p in line_progress(session, member, date(2026, 3, 1))
    ]


def test_an_order_updates_the_buyer_and_every_ancestor(company: Session) -> None:
    post_order(company, "N1", "D", date(2026, 3, 5), [NewLine("Q", 1)])
    assert summary(company, "D") == [
        ("D", 0, 5000, 5000, "bronze", "silver"),
        ("C", 1, 0, 5000, None, "bronze"),
        ("B", 2, 0, 5000, None, "bronze"),
        ("A", 3, 0, 5000, None, "bronze"),
    ]
    (d, c, *_rest) = line_progress(company, "D", date(2026, 3, 1))
    assert [(n.condition, n.have, n.need, n.missing) for n in d.progress.needs] == [
        ("max_leg_volume", 5000, 15000, 10000),
        ("active_personal", 0, 1, 1),
    ]
    post_order(company, "N2", "C", date(2026, 3, 6), [NewLine("Q", 1)])
    post_order(company, "N3", "D", date(2026, 3, 7), [NewLine("Q", 1)])
    # C: own 50 + D's leg 100 capped at 75 = 125 of 150; D is active (1 of 1).
    (_d, c, *_rest) = line_progress(company, "D", date(2026, 3, 1))
    assert (c.pv, c.group_volume, c.progress.rank) == (5000, 15000, "bronze")
    assert [(n.condition, n.have, n.missing) for n in c.progress.needs] == [
        ("max_leg_volume", 12500, 2500),
        ("active_personal", 1, 0),
    ]


def test_other_periods_are_untouched(company: Session) -> None:
    post_order(company, "N1", "D", date(2026, 4, 1), [NewLine("Q", 1)])
    assert summary(company, "D")[0][2:4] == (0, 0)


def test_live_figures_equal_a_full_recomputation(company: Session) -> None:
    buys = [("D", 1), ("B", 3), ("C", 2), ("D", 1), ("A", 1), ("B", 1)]
    for n, (buyer, quantity) in enumerate(buys):
        post_order(company, f"N{n}", buyer, date(2026, 3, 1 + n), [NewLine("Q", quantity)])
    live, live_legs = (
        volumes.period_rows(company, "2026-03"),
        volumes.period_legs(company, "2026-03"),
    )
    assert rebuild_period_volumes(company, "2026-03") == 4
    assert volumes.period_rows(company, "2026-03") == live
    assert volumes.period_legs(company, "2026-03") == live_legs
    a, b = member_db_id(company, "A"), member_db_id(company, "B")
    assert live[a] == (5000, 45000, 1)  # B is active
    assert live_legs[(a, 7500)] == 7500  # B's leg (400 points) counts 75
    assert live[b][2] == 1  # C is active


def test_a_bad_order_names_its_line_and_writes_nothing(company: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        post_order(company, "N1", "D", date(2026, 3, 5), [NewLine("Q", 0), NewLine("X", 1)])
    assert [str(p) for p in caught.value.problems] == [
        "order:N1 line 2 [sku]: no product 'X' in US",
        "order:N1 line 1 [quantity]: must be greater than zero",
    ]
    assert volumes.period_rows(company, "2026-03") == {}


def _engine_pv_gv(session: Session, period_key: str) -> dict[int, tuple[int, int]]:
    """PV and GV of every member with either, as the close's loader and tree count them."""
    facts = load_period_facts(session, Period.parse(period_key), placement=False)
    plan = plan_on(session, Period.parse(period_key).start)
    orders = facts.inputs.orders
    pv = np.zeros(len(facts.inputs.members), dtype=np.int64)
    np.add.at(pv, orders.buyer, counted_pv(plan, orders.from_customer, orders.pv, orders.bv))
    tree = build_tree(facts.inputs.members.sponsor)
    gv = np.empty_like(pv)
    gv[tree.order] = tree.subtree_sum(pv[tree.order])
    return {
        int(db): (int(p), int(g))
        for db, p, g in zip(facts.member_db_ids, pv, gv, strict=True)
        if p or g
    }


def _live_pv_gv(session: Session, period_key: str) -> dict[int, tuple[int, int]]:
    return {
        member: (pv, gv)
        for member, (pv, gv, _active) in volumes.period_rows(session, period_key).items()
        if pv or gv
    }


def test_a_move_mid_period_moves_the_live_group_volume(company: Session) -> None:
    post_order(company, "N1", "D", date(2026, 3, 5), [NewLine("Q", 2)])
    post_order(company, "N2", "C", date(2026, 3, 6), [NewLine("Q", 1)])
    move(company, None, "D", sponsor_id="A", reason="wrong sponsor", effective_on=date(2026, 3, 10))
    # D's 100 points now count for A only, not for C or B: the tree of March 31.
    (d, a) = line_progress(company, "D", date(2026, 3, 1))
    assert (d.member_id, d.group_volume, a.member_id, a.group_volume) == ("D", 10000, "A", 15000)
    (c, b, _a) = line_progress(company, "C", date(2026, 3, 1))
    assert (c.group_volume, b.group_volume) == (5000, 5000)
    assert _live_pv_gv(company, "2026-03") == _engine_pv_gv(company, "2026-03")
    legs = volumes.period_legs(company, "2026-03")
    rebuild_period_volumes(company, "2026-03")
    assert volumes.period_legs(company, "2026-03") == legs


def test_a_termination_rolls_live_volumes_up_and_drops_the_active_count(
    company: Session,
) -> None:
    post_order(company, "N2", "C", date(2026, 3, 6), [NewLine("Q", 1)])
    before = volumes.period_rows(company, "2026-03")
    assert before[member_db_id(company, "B")][2] == 1  # C is active under B
    terminate(company, None, "C", reason="left", effective_on=date(2026, 3, 20))
    after = volumes.period_rows(company, "2026-03")
    assert after[member_db_id(company, "B")][2] == 0  # a terminated member is not active
    assert after[member_db_id(company, "B")][:2] == (0, 5000)  # C's volume still counts
    assert _live_pv_gv(company, "2026-03") == _engine_pv_gv(company, "2026-03")


def test_a_tree_change_rebuilds_its_period_and_later_ones_only(company: Session) -> None:
    post_order(company, "N1", "D", date(2026, 3, 5), [NewLine("Q", 1)])
    post_order(company, "N2", "D", date(2026, 5, 5), [NewLine("Q", 1)])
    assert refresh_after_tree_change(company, date(2026, 4, 15)) == ["2026-04", "2026-05"]


def test_goal_pv_counts_by_the_close_rule(company: Session) -> None:
    """A return counts in its order's period and a period's PV is never below zero, for
    a goal as for the close: the March order returned in April leaves March at 0 and
    April at 0, not 50 and -50 as order dates alone would say."""
    post_order(company, "N1", "D", date(2026, 3, 5), [NewLine("Q", 1)])
    post(company, OrderRequest("R1", date(2026, 4, 3), kind="return", returns_order_id="N1"))
    post_order(company, "N2", "D", date(2026, 5, 2), [NewLine("Q", 2)])
    owner = company.query(Member).filter_by(member_id="D").one()
    today = date(2026, 6, 30)

    def measured(starts_on: date, due_on: date) -> int:
        goal = Goal(
            owner_member_id=owner.id,
            title="g",
            metric="personal_volume",
            target=1,
            starts_on=starts_on,
            due_on=due_on,
        )
        return measure(company, owner, goal, today)

    assert measured(date(2026, 3, 1), date(2026, 3, 31)) == 0
    assert measured(date(2026, 4, 1), date(2026, 4, 30)) == 0
    assert measured(date(2026, 3, 1), date(2026, 5, 31)) == 10000
    assert measured(date(2026, 5, 3), date(2026, 5, 31)) == 0

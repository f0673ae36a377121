"""The demo lives in the past: nothing in it is dated after the day it is seeded; it
covers 13 finalized months and the open current one; its leader is a real leader
(paid above the entry rank, and paid, in most months); its policies are published."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairtree.services.demo.seed import DemoShape, seed_demo
from fairtree.services.member_data.policies import in_force
from fairtree.store.models import (
    CommissionRun,
    Contact,
    Customer,
    GenealogyRecord,
    Member,
    Order,
    Party,
    PayoutLine,
    RankRecord,
)

TODAY = date(2026, 11, 18)  # mid-month: the generator simulates the whole month


@pytest.fixture(scope="module")
def shape() -> DemoShape:
    return DemoShape(members=600, seed=7, today=TODAY)


def _latest(session: Session, column) -> date:  # type: ignore[no-untyped-def]
    return session.scalars(select(func.max(column))).one()


def test_nothing_in_the_demo_is_dated_after_it_is_seeded(session: Session, shape) -> None:
    seed_demo(session, shape)
    for column in (
        Order.placed_on,
        Order.counts_on,
        Member.joined_on,
        Member.status_since,
        Customer.created_on,
        Contact.created_on,
        Party.held_on,
        GenealogyRecord.valid_from,
    ):
        latest = _latest(session, column)
        assert latest is not None and latest <= TODAY, (str(column), latest)
    assert session.scalar(select(func.count()).where(GenealogyRecord.valid_to > TODAY)) == 0
    # The current month is open and has orders up to today.
    assert _latest(session, Order.placed_on) >= date(2026, 11, 1)


def test_the_demo_has_a_year_of_finalized_months_a_real_leader_and_policies(
    session: Session, shape
) -> None:
    seeded = seed_demo(session, shape)
    assert seeded.books is not None
    finalized = sorted(
        session.scalars(select(CommissionRun.period_key).where(CommissionRun.status == "finalized"))
    )
    assert len(finalized) >= 13
    assert finalized[0] == "2025-10" and finalized[-1] == "2026-10"
    assert seeded.books.open_period == "2026-11"

    leader_login = next(s.login for s in seeded.sign_ins if s.who.startswith("leader"))
    leader = session.scalar(select(Member).where(Member.member_id == leader_login.upper()))
    assert leader is not None
    ranks = session.execute(
        select(RankRecord.run_id, RankRecord.paid_as_rank).where(RankRecord.member_id == leader.id)
    ).all()
    above_entry = [run for run, rank in ranks if rank >= 2]
    assert above_entry, "the demo leader reaches a rank above the entry rank"
    paid_runs = set(
        session.scalars(
            select(PayoutLine.run_id)
            .where(PayoutLine.member_id == leader.id)
            .group_by(PayoutLine.run_id)
            .having(func.sum(PayoutLine.amount) > 0)
        )
    )
    assert len(paid_runs) > len(finalized) / 2, (len(paid_runs), len(finalized))
    team = session.scalars(select(func.count()).where(Member.sponsor_id == leader.id)).one()
    assert team >= 3

    policies = in_force(session, TODAY)
    assert len(policies.obligations) >= 3 and len(policies.suggestions) >= 1

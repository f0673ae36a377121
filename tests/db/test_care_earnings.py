"""Care metrics from the ledger: the share of a team earning more than it spent."""

from datetime import date

from sqlalchemy import select

from fairtree.services.care.care_metrics import care_metrics, earning_more_than_spent
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.store.models import Member
from tests.factories import post_order, seed_company


def test_share_of_team_earning_more_than_own_orders_cost(session):
    seed_company(session)  # A <- B <- C <- D, each bought one order at 8.00 in March
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")  # by hand: A earns 7.34 and C 4.00 (ledger_company)
    post_order(session, "R-C", "C", date(2026, 4, 5), "60", "33.35", returns="O-C")
    leader = session.scalar(select(Member).where(Member.member_id == "A"))
    # as of April: C earned 4.00 and got its 8.00 back (spent 0) -> ahead;
    # B and D earned nothing and spent 8.00 -> not; 1 of 3 = 33.3 %
    metrics = care_metrics(session, leader, date(2026, 4, 30))
    assert metrics.team_size == 3
    assert metrics.team_earning_more_than_spent == "33.3"
    # in March the return had not happened: C spent 8.00 for 4.00 of pay
    march = care_metrics(session, leader, date(2026, 3, 31))
    assert march.team_earning_more_than_spent == "0.0"


def test_members_with_two_currencies_are_left_out_not_guessed(session):
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    order = post_order(session, "O-CAD", "D", date(2026, 4, 2), "1", "1")
    order.currency = "CAD"
    session.flush()
    ids = dict(session.execute(select(Member.member_id, Member.id)).all())
    import numpy as np

    share, apart = earning_more_than_spent(
        session, np.array([ids["C"], ids["D"]]), date(2026, 4, 30)
    )
    assert apart == 1  # D bought in USD and CAD
    assert share == "0.0"  # C alone is compared: 4.00 earned, 8.00 spent

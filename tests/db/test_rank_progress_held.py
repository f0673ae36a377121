"""The next rank on the rank report card counts from the rank the member holds (paid as
in the last finalized period), not from the first rank: a member paid as bronze whose
new period has no orders yet works towards silver, not towards bronze."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.orders.rank_progress import line_progress
from tests.factories import seed_company


def test_the_next_rank_counts_from_the_rank_paid_as_last_period(session: Session) -> None:
    # March (finalized): A paid as silver (GV 230), C and D bronze, B inactive.
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    april = line_progress(session, "D", date(2026, 4, 2))
    assert [
        (p.member_id, p.progress.held, p.progress.rank, p.progress.next_rank) for p in april
    ] == [
        ("D", "bronze", None, "silver"),
        ("C", "bronze", None, "silver"),
        ("B", None, None, "bronze"),
        ("A", "silver", None, None),
    ]
    d = april[0]
    assert [(n.condition, n.have, n.need, n.missing) for n in d.progress.needs] == [
        ("active_pv", 0, 5000, 5000),
        ("pv", 0, 5000, 5000),
        ("group_volume", 0, 15000, 15000),
    ]
    # A holds the top rank: no next rank, and the card says what keeping it needs.
    assert [n.condition for n in april[3].progress.needs] == ["active_pv", "pv", "group_volume"]
    # In March itself nothing was held before: counted from the first rank.
    march = line_progress(session, "D", date(2026, 3, 2))
    assert march[0].progress.held is None

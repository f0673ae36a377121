"""The next rank on the rank report card counts from the rank the member holds (paid as
in the last finalized period), not from the first rank: a member paid as bronze whose
new period has no orders yet works towards silver, not towards bronze."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.services.access import users
from fairtree.services.access.principal import Principal
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.network import tree_view
from fairtree.services.orders.rank_progress import line_progress
from fairtree.store.models import Member
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


def test_the_tree_of_the_open_period_shows_the_rank_held(session: Session) -> None:
    # April has no run yet: the tree shows the rank each member holds (paid as in
    # March), marked as held; March itself shows March's run.
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    a = session.scalars(select(Member).where(Member.member_id == "A")).one()
    user = users.create_member_user(session, "A", "a long enough password")
    reader = Principal(user.id, "a", "member", a.id, "A", "session", 0)
    for key in ("2026-04", "2026-03"):
        level = tree_view.tree_level(
            session, reader, a, "B", "sponsor", Period.parse(key), None, "name", False, 50, 0
        )
        assert (level.parent.member_id, level.parent.rank) == ("B", None)
        assert [(n.member_id, n.rank, n.rank_held) for n in level.nodes] == [
            ("C", "bronze", key == "2026-04")
        ]

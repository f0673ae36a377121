"""A statement line's explanation names members by display name where the viewer may
see them (themselves and their downline, per the authorization module), by id
otherwise; naming them is logged as a read of their team data. A statement without
explanations reads the lines alone, never the facts of the downline or the period."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fairtree.services.access import users
from fairtree.services.access.authorization import visible_names
from fairtree.services.access.principal import Principal
from fairtree.services.commissions import statements
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.statements import member_statement
from fairtree.store.models import AccessLogEntry, Member
from tests.factories import post_order, seed_company

NAMES = {"A": "Ann Able", "B": "Bo Baker", "C": "Cy Cole", "D": "Di Dunn"}


@pytest.fixture
def corrected(session: Session) -> Session:
    """March finalized with named members, D's order returned in April, April drafted."""
    seed_company(session)
    for member_id, name in NAMES.items():
        session.execute(
            update(Member).where(Member.member_id == member_id).values(display_name=name)
        )
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    post_order(session, "R-D", "D", date(2026, 4, 5), "50", "40", returns="O-D")
    close_period(session, "2026-04")
    return session


def _principal(session: Session, member_id: str) -> Principal:
    user = users.create_member_user(session, member_id, "a long enough password")
    pk = session.scalar(select(Member.id).where(Member.member_id == member_id))
    return Principal(user.id, member_id.lower(), "member", pk, member_id, "session", 0)


def test_the_explanation_shows_the_display_names_the_member_may_see(corrected: Session) -> None:
    a = _principal(corrected, "A")
    (line,) = member_statement(corrected, "2026-03", "A", viewer=a).lines
    assert line.explanation == [
        "uni (unilevel) for Ann Able (A): 7.34 USD",
        "  rule: unilevel 2 levels on BV, compression dynamic, this rank is paid 2 level(s)",
        "  rank: silver",
        "  level 1: Bo Baker (B) 20.00 points x 10% [orders O-B]",
        "  level 1: Cy Cole (C) 33.35 points x 10% (compressed past Bo Baker (B)) [orders O-C]",
        "  level 2: Di Dunn (D) 40.00 points x 5% (compressed past Bo Baker (B)) [orders O-D]",
        "  exact 7.335 USD, rounded half_up",
    ]
    logged = corrected.execute(
        select(Member.member_id, AccessLogEntry.record, AccessLogEntry.reader_user_id)
        .join(Member, Member.id == AccessLogEntry.owner_member_id)
        .where(AccessLogEntry.data_kind == "team")
        .order_by(Member.member_id)
    ).all()
    # B, C and D named to A, one row each; A's own name is no read of others
    assert [tuple(row) for row in logged] == [
        ("B", "statement:2026-03", a.user_id),
        ("C", "statement:2026-03", a.user_id),
        ("D", "statement:2026-03", a.user_id),
    ]
    # An adjustment line keeps its reason first, then the recomputed trace with names.
    (adjustment,) = member_statement(corrected, "2026-04", "A", viewer=a).lines
    assert adjustment.explanation[:3] == [
        "2026-03 recomputed: orders or returns of 2026-03 recorded after it was finalized: R-D",
        "paid before 7.34, now 5.34, difference -2.00",
        "uni (unilevel) for Ann Able (A): 5.34 USD",
    ]


def test_members_the_viewer_may_not_see_stay_ids(corrected: Session) -> None:
    c, d = _principal(corrected, "C"), _principal(corrected, "D")
    everyone = set(NAMES)
    assert visible_names(corrected, c, everyone, "test") == {"C": "Cy Cole", "D": "Di Dunn"}
    assert visible_names(corrected, d, everyone, "test") == {"D": "Di Dunn"}
    assert visible_names(corrected, None, everyone, "test") == {}


def test_a_statement_without_explanations_never_reads_the_facts(
    corrected: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the lines alone need no trace")

    monkeypatch.setattr(statements, "member_traces", refuse)
    (line,) = member_statement(corrected, "2026-03", "A", explain=False).lines
    assert (line.amount, line.explanation) == (734, [])
    (adjustment,) = member_statement(corrected, "2026-04", "A", explain=False).lines
    assert (adjustment.amount, adjustment.corrects_period) == (-200, "2026-03")


def test_many_names_are_looked_up_in_batches_and_against_the_downline_read_once(
    corrected: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A top earner's explanation can name hundreds of thousands of members: past the
    # drivers' parameter limits in one IN list (SQLite: batches; PostgreSQL: one array),
    # and too many to walk up one by one (matched against the downline read once).
    from fairtree.store.repositories.network import members, sponsor_tree

    monkeypatch.setattr(members, "NAME_BATCH", 2)
    monkeypatch.setattr(sponsor_tree, "FEW_BELOW", 1)
    c = _principal(corrected, "C")
    assert visible_names(corrected, c, set(NAMES), "test") == {"C": "Cy Cole", "D": "Di Dunn"}
    a = _principal(corrected, "A")
    assert visible_names(corrected, a, set(NAMES), "test") == NAMES


def test_reads_of_several_records_are_logged_each_with_its_record(corrected: Session) -> None:
    from fairtree.services.access.access_log import log_reads

    a = _principal(corrected, "A")
    pks = dict(corrected.execute(select(Member.member_id, Member.id)).all())
    reads = [(pks["B"], "orders:1"), (pks["C"], "orders:2"), (pks["A"], "orders:3")]
    log_reads(corrected, a, reads, "orders", "checking")
    logged = corrected.execute(
        select(AccessLogEntry.owner_member_id, AccessLogEntry.record, AccessLogEntry.reason)
        .where(AccessLogEntry.data_kind == "orders")
        .order_by(AccessLogEntry.record)
    ).all()
    # the reader's own record is no read of another member's data
    assert [tuple(row) for row in logged] == [
        (pks["B"], "orders:1", "checking"),
        (pks["C"], "orders:2", "checking"),
    ]


def test_a_part_of_an_explanation_names_and_logs_only_its_members(corrected: Session) -> None:
    a = _principal(corrected, "A")
    (whole,) = member_statement(corrected, "2026-04", "A").lines
    assert whole.explanation_length == len(whole.explanation) == 8
    # the adjustment's own two lines, then the recomputed trace's heading and B's line
    (part,) = member_statement(
        corrected, "2026-04", "A", viewer=a, only_line=0, explanation_lines=slice(1, 6)
    ).lines
    assert part.explanation_length == 8
    assert part.explanation == [
        "paid before 7.34, now 5.34, difference -2.00",
        "uni (unilevel) for Ann Able (A): 5.34 USD",
        whole.explanation[3],
        whole.explanation[4],
        "  level 1: Bo Baker (B) 20.00 points x 10% [orders O-B]",
    ]
    logged = corrected.scalars(
        select(AccessLogEntry.owner_member_id).where(AccessLogEntry.data_kind == "team")
    ).all()
    b = corrected.scalar(select(Member.id).where(Member.member_id == "B"))
    assert logged == [b]  # B alone is named in these lines

"""What the back office shows of pay: per-period totals equal the statement's, the draft
is the estimate, the bonus groups sum to the total, the PDF is a PDF; one tree level."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.services.access import users
from fairtree.services.access.principal import Principal
from fairtree.services.commissions import earnings
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.statements import member_statement
from fairtree.services.network import tree_view
from fairtree.store.models import AccessLogEntry, Member
from fairtree.web.statement_view import grouped_by_bonus, statement_pdf
from tests.factories import post_order, seed_company


@pytest.fixture
def closed(session: Session) -> Session:
    """March finalized; D's order returned in April, April drafted."""
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    post_order(session, "R-D", "D", date(2026, 4, 5), "50", "40", returns="O-D")
    close_period(session, "2026-04")
    return session


def _member(session: Session, member_id: str) -> Member:
    return session.scalars(select(Member).where(Member.member_id == member_id)).one()


def test_period_totals_equal_the_statement_and_the_draft_is_the_estimate(closed: Session) -> None:
    a = _member(closed, "A")
    pay = earnings.member_earnings(closed, a)
    assert [(p.period_key, p.status, p.total) for p in pay.recent] == [
        ("2026-03", "finalized", 734)
    ]
    assert pay.estimate is not None and pay.estimate.period_key == "2026-04"
    assert pay.estimate.status == "draft"
    for period in ("2026-03", "2026-04"):
        statement = member_statement(closed, period, "A")
        listed = {p.period_key: p for p in earnings.periods(closed, a, 10, 0)[0]}
        assert listed[period].total == statement.total
        groups = grouped_by_bonus(statement)
        assert sum(g.total for g in groups) == statement.total
    assert earnings.periods(closed, a, 10, 0)[1] == 2
    assert earnings.periods(closed, a, 10, 0, finalized_only=True)[1] == 1


def test_statement_pdf_is_a_pdf(closed: Session) -> None:
    pdf = statement_pdf(member_statement(closed, "2026-03", "A"))
    assert pdf.startswith(b"%PDF-") and len(pdf) > 500


def test_a_tree_level_shows_children_and_logs_the_reads(closed: Session) -> None:
    a, b = _member(closed, "A"), _member(closed, "B")
    user = users.create_member_user(closed, "A", "a long enough password")
    reader = Principal(user.id, "a", "member", a.id, "A", "session", 0)
    level = tree_view.tree_level(
        closed, reader, a, None, "sponsor", Period.parse("2026-03"), None, "name", False, 50, 0
    )
    assert [n.member_id for n in level.nodes] == ["B"] and level.total == 1
    assert level.nodes[0].level == 1 and level.nodes[0].children == 1
    deeper = tree_view.tree_level(
        closed, reader, a, "C", "sponsor", Period.parse("2026-03"), None, "name", False, 50, 0
    )
    assert [name for _, name in deeper.path] == [
        a.display_name,
        b.display_name,
        _member(closed, "C").display_name,
    ]
    assert [n.member_id for n in deeper.nodes] == ["D"] and deeper.nodes[0].level == 3
    logged = closed.scalars(select(AccessLogEntry.owner_member_id)).all()
    assert b.id in logged and a.id not in logged
    d_user = users.create_member_user(closed, "D", "a long enough password")
    other = Principal(d_user.id, "d", "member", _member(closed, "D").id, "D", "session", 0)
    with pytest.raises(Exception, match="no member"):
        tree_view.tree_level(
            closed,
            other,
            _member(closed, "D"),
            "A",
            "sponsor",
            Period.parse("2026-03"),
            None,
            "name",
            False,
            50,
            0,
        )

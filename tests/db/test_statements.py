"""Member statements: every line with the engine's derivation, as HTML and CSV."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.statements import member_statement, render_csv, render_html
from fairtree.store.models import Member
from tests.factories import post_order, seed_company


@pytest.fixture
def corrected(session: Session) -> Session:
    """March finalized, then D's order returned in April, April drafted."""
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    post_order(session, "R-D", "D", date(2026, 4, 5), "50", "40", returns="O-D")
    close_period(session, "2026-04")
    return session


def test_a_commission_line_carries_its_derivation(corrected: Session) -> None:
    statement = member_statement(corrected, "2026-03", "A")
    (line,) = statement.lines
    assert (line.bonus_id, line.kind, line.amount, line.reference) == (
        "uni",
        "commission",
        734,
        "2026-03/A/uni",
    )
    assert line.explanation == [
        "uni (unilevel) for A: 7.34 USD",
        "  rule: unilevel 2 levels on BV, compression dynamic, this rank is paid 2 level(s)",
        "  rank: silver",
        "  level 1: B 20.00 points x 10% [orders O-B]",
        "  level 1: C 33.35 points x 10% (compressed past B) [orders O-C]",
        "  level 2: D 40.00 points x 5% (compressed past B) [orders O-D]",
        "  exact 7.335 USD, rounded half_up",
    ]


def test_an_adjustment_line_says_what_changed_and_why(corrected: Session) -> None:
    statement = member_statement(corrected, "2026-04", "A")
    (line,) = statement.lines
    assert (line.kind, line.amount, line.corrects_period) == ("adjustment", -200, "2026-03")
    assert line.explanation[:3] == [
        "2026-03 recomputed: orders or returns of 2026-03 recorded after it was finalized: R-D",
        "paid before 7.34, now 5.34, difference -2.00",
        "uni (unilevel) for A: 5.34 USD",
    ]
    assert "  level 2: D" not in "\n".join(line.explanation)


def test_csv_lists_every_line(corrected: Session) -> None:
    text = render_csv(member_statement(corrected, "2026-04", "C"))
    assert text.splitlines() == [
        "period,member_id,bonus,kind,amount,currency,corrects,reason",
        "2026-04,C,uni,adjustment,-4.00,USD,2026-03,"
        "orders or returns of 2026-03 recorded after it was finalized: R-D",
    ]


def test_html_shows_lines_balance_and_escapes_names(corrected: Session) -> None:
    corrected.execute(
        update(Member).where(Member.member_id == "C").values(display_name="<b>Cee</b>")
    )
    finalize_run(corrected, "2026-04")
    html = render_html(member_statement(corrected, "2026-04", "C"))
    assert "Statement for &lt;b&gt;Cee&lt;/b&gt; (C)" in html
    assert '<td class="amount">-4.00</td>' in html
    assert "now earns nothing here" in html
    # March's 4.00 was never paid out, so the clawback nets it to zero.
    assert "Balance owed to you now: 0.00 USD." in html


def test_unknown_member_or_period_is_named(corrected: Session) -> None:
    with pytest.raises(NotFoundError, match="no member 'Z'"):
        member_statement(corrected, "2026-03", "Z")
    with pytest.raises(NotFoundError, match="no run for period 2026-07"):
        member_statement(corrected, "2026-07", "A")

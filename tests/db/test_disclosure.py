"""The income disclosure statement and claim checks from a real ledger (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.orm import Session

from fairtree.disclosure import render, render_pdf
from fairtree.errors import NotFoundError, ValidationError
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.disclosure.statement import build_statement, check_claim
from fairtree.store.repositories.network import genealogy_history
from tests.factories import add_tiny_member, post_order, seed_company

YEAR = (date(2026, 1, 1), date(2027, 1, 1))
REQUIRED_KEYS = {
    "range",
    "participants",
    "paid_nothing",
    "paid_nothing_share",
    "median_gross_pay",
    "mean_gross_pay",
    "median_net_pay",
    "purchases_exceeded_pay_share",
    "top_1_percent_pay_share",
    "top_10_percent_pay_share",
    "gini",
    "percentiles",
    "brackets",
    "by_rank",
    "retention",
    "top_earner_persistence",
    "definitions",
    "runs",
}


def add_leaver(session: Session) -> None:
    """E joins under A in February and is terminated two weeks later, never paid."""
    member = add_tiny_member(session, "E", "A", date(2026, 2, 1))
    member.status, member.status_since = "terminated", date(2026, 2, 15)
    session.flush()
    genealogy_history.record_changes(session, [member.id], date(2026, 2, 15), "test", "test")


@pytest.fixture
def ledger(session: Session) -> Session:
    """March and April 2026 finalized; E left in February."""
    seed_company(session)
    add_leaver(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03", {})
    post_order(session, "O-A4", "A", date(2026, 4, 3), "100", "100")
    post_order(session, "O-C4", "C", date(2026, 4, 4), "60", "60")
    close_period(session, "2026-04")
    finalize_run(session, "2026-04", {})
    return session


def test_every_member_in_the_range_is_a_participant(ledger: Session) -> None:
    statement = build_statement(ledger, *YEAR)
    # A, B, C, D; zero earners included. E left before the first finalized month.
    data = render.statement_data(statement)
    assert data["participants"] == 4
    assert statement.months == ["2026-03", "2026-04"]
    assert "2026-05" in statement.months_not_finalized


def test_a_leaver_within_the_covered_months_is_counted(session: Session) -> None:
    seed_company(session)
    add_leaver(session)
    close_period(session, "2026-02")
    finalize_run(session, "2026-02", {})
    statement = build_statement(session, *YEAR)
    assert statement.participants == 5
    assert statement.paid_nothing == 5  # no orders in February: nobody was paid


def test_json_keys_amounts_and_runs(ledger: Session) -> None:
    data = json.loads(render.to_json(build_statement(ledger, *YEAR)))
    assert set(data) >= REQUIRED_KEYS
    # March: A 7.34, C 4.00. April: A, C order again (unilevel on A's line).
    assert data["paid_nothing"] == 2
    assert data["paid_nothing_share"] == "0.5000"
    assert [r["period"] for r in data["runs"]] == ["2026-03", "2026-04"]
    assert all(isinstance(r["run_id"], int) for r in data["runs"])
    assert data["median_gross_pay"] == "0.00"
    # Own purchases: 8.00 an order; A and C bought twice, B and D once.
    assert data["total_purchases"] == "48.00"
    total = sum(int(b["participants"]) for b in data["brackets"])
    assert total == data["participants"] == 4


def test_yearly_pay_is_the_sum_of_what_each_month_paid(ledger: Session) -> None:
    statement = build_statement(ledger, *YEAR)
    march = build_statement(ledger, date(2026, 3, 1), date(2026, 4, 1))
    april = build_statement(ledger, date(2026, 4, 1), date(2026, 5, 1))
    assert statement.total_gross_pay == march.total_gross_pay + april.total_gross_pay
    assert statement.total_gross_pay != 12 * march.total_gross_pay


def test_a_second_run_gives_the_same_bytes(ledger: Session) -> None:
    first = build_statement(ledger, *YEAR)
    second = build_statement(ledger, *YEAR)
    assert render.to_json(first) == render.to_json(second)
    assert render.to_csv(first) == render.to_csv(second)
    assert render_pdf.to_pdf(first) == render_pdf.to_pdf(second)


def test_claim_checks_against_everyone(ledger: Session) -> None:
    yearly = check_claim(ledger, "10", "year", *YEAR)
    assert (yearly.participants, yearly.amount, yearly.per) == (4, 1000, "year")
    assert yearly.reached_gross >= 1 and yearly.reached_net <= yearly.reached_gross
    monthly = check_claim(ledger, "5", "month", *YEAR)
    assert monthly.member_months == 8  # four members in March and April
    assert monthly.months_reached_gross >= 1


def test_bad_ranges_and_amounts_are_named(ledger: Session) -> None:
    with pytest.raises(NotFoundError, match="no finalized run"):
        build_statement(ledger, date(2030, 1, 1), date(2031, 1, 1))
    with pytest.raises(ValidationError) as error:
        check_claim(ledger, "-3", "month", *YEAR)
    assert error.value.problems[0].field == "amount"

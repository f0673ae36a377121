"""Late orders and returns touching a finalized period become adjustment lines in the
next open period, pointing at the lines they correct; negative balances are carried."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.payouts import create_batch, mark_items
from fairtree.store.repositories.commissions import ledger, runs
from fairtree.store.repositories.commissions import payouts as store
from tests.factories import member_db_id, post_order, seed_company


def finalized_march(session: Session) -> dict[str, int]:
    """Close and finalize March; returns the line id of each member's March line."""
    seed_company(session)
    result = close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    return {row[2]: row[0] for row in runs.line_rows(session, result.run_id)}


def adjustments(session: Session, run_id: int) -> list[tuple]:
    return [
        (row[2], row[5], row[7], row[8], row[9])
        for row in runs.line_rows(session, run_id)
        if row[4] == "adjustment"
    ]


def test_a_late_order_adjusts_the_finalized_period(session: Session) -> None:
    march = finalized_march(session)
    post_order(session, "O-B2", "B", date(2026, 3, 25), "40", "40")
    april = close_period(session, "2026-04")
    # March again with B active (PV 60): A = 6.00 + 1.6675 = 7.6675 -> 7.67 (+0.33),
    # B = 3.335 + 2.00 = 5.335 -> 5.34 (new), C unchanged at 4.00.
    reason = "orders or returns of 2026-03 recorded after it was finalized: O-B2"
    assert adjustments(session, april.run_id) == [
        ("A", 33, march["A"], "2026-03", reason),
        ("B", 534, None, "2026-03", reason),
    ]
    assert (april.total_paid, april.total_adjustments) == (0, 567)


def test_adjustments_are_posted_once(session: Session) -> None:
    finalized_march(session)
    post_order(session, "O-B2", "B", date(2026, 3, 25), "40", "40")
    first = adjustments(session, close_period(session, "2026-04").run_id)
    again = close_period(session, "2026-04")
    assert len(first) == 2
    assert adjustments(session, again.run_id) == first
    finalize_run(session, "2026-04")
    may = close_period(session, "2026-05")
    assert adjustments(session, may.run_id) == []


def test_a_return_after_payout_is_clawed_back_and_carried(session: Session) -> None:
    march = finalized_march(session)
    batch = create_batch(session, "2026-03", minimum_payout=0)
    items = [row.id for row in store.batch_items(session, batch.batch_id)]
    mark_items(session, "2026-03", items, paid=True)
    post_order(session, "R-D", "D", date(2026, 4, 5), "50", "40", returns="O-D")
    april = close_period(session, "2026-04")
    # March without D's volume: A = 2.00 + 3.335 = 5.335 -> 5.34 (-2.00); C earns 0 (-4.00).
    reason = "orders or returns of 2026-03 recorded after it was finalized: R-D"
    assert adjustments(session, april.run_id) == [
        ("A", -200, march["A"], "2026-03", reason),
        ("C", -400, march["C"], "2026-03", reason),
    ]
    finalize_run(session, "2026-04")
    a, c = member_db_id(session, "A"), member_db_id(session, "C")
    balances = ledger.balances(session)
    assert balances[("member_payable", a)] == 0
    assert balances[("clawback_receivable", a)] == 200
    assert balances[("clawback_receivable", c)] == 400
    # May: D buys 100 with C and B inactive: A earns 10.00, of which 2.00 settles the claw.
    post_order(session, "O-A5", "A", date(2026, 5, 2), "60", "60")
    post_order(session, "O-D5", "D", date(2026, 5, 2), "100", "100")
    close_period(session, "2026-05")
    finalize_run(session, "2026-05")
    balances = ledger.balances(session)
    assert balances[("member_payable", a)] == -800
    assert balances[("clawback_receivable", a)] == 0
    assert balances[("clawback_receivable", c)] == 400  # still owed, carried
    assert sum(balances.values()) == 0

"""Payout batches: minimum, holds, exact conversion, provider CSV, paid and failed."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fairtree.cli.main import app
from fairtree.errors import ConflictError, ValidationError
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.payouts import create_batch, export_csv, mark_items
from fairtree.store.models import Member, PayoutHold
from fairtree.store.repositories.commissions import ledger, runs
from fairtree.store.repositories.commissions import payouts as store
from fairtree.store.repositories.company import the_company
from tests.factories import member_db_id, post_order, seed_company


def finalized_march(session: Session) -> None:
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")


def set_member(session: Session, name: str, **values: object) -> None:
    session.execute(update(Member).where(Member.member_id == name).values(**values))


def items(session: Session, period: str = "2026-03") -> list[tuple]:
    found = store.find_batch(session, the_company(session).id, period)
    assert found is not None
    return [
        (i.member_id, i.amount, i.payout_currency, i.payout_amount, i.rate, i.status, i.reason)
        for i in store.batch_items(session, found.id)
    ]


def item_ids(session: Session, period: str = "2026-03") -> dict[str, int]:
    found = store.find_batch(session, the_company(session).id, period)
    assert found is not None
    return {row.member_id: row.id for row in store.batch_items(session, found.id)}


def test_minimum_payout_carries_small_amounts(session: Session) -> None:
    finalized_march(session)
    summary = create_batch(session, "2026-03", minimum_payout=500)
    assert (summary.pending, summary.carried, summary.pending_total) == (1, 1, 734)
    assert items(session) == [
        ("A", 734, "USD", 734, "1", "pending", None),
        ("C", 400, "USD", 400, "1", "carried", "below the minimum payout of 5.00"),
    ]
    balances = ledger.balances(session)
    a, c = member_db_id(session, "A"), member_db_id(session, "C")
    assert balances[("member_payable", a)] == 0
    assert balances[("payouts_in_transit", a)] == -734
    assert balances[("member_payable", c)] == -400  # carried: still owed


def test_conversion_is_exact_with_one_rounding_at_the_runs_snapshot(session: Session) -> None:
    seed_company(session)
    set_member(session, "A", currency="EUR")
    set_member(session, "C", currency="JPY")
    close_period(session, "2026-03")
    run_id = finalize_run(session, "2026-03", {"EUR": "0.9215", "JPY": "151.37", "USD": "1"})
    assert runs.exchange_rates(session, run_id) == {"EUR": "0.9215", "JPY": "151.37"}
    create_batch(session, "2026-03", minimum_payout=0)
    # 7.34 x 0.9215 = 6.76381 -> 6.76 EUR; 4.00 x 151.37 = 605.48 -> 605 JPY.
    assert [(i[0], i[3], i[4]) for i in items(session)] == [
        ("A", 676, "0.9215"),
        ("C", 605, "151.37"),
    ]
    batch = store.find_batch(session, the_company(session).id, "2026-03")
    assert batch is not None
    assert json.loads(batch.rates_json) == {"EUR": "0.9215", "JPY": "151.37"}
    a, c = item_ids(session)["A"], item_ids(session)["C"]
    assert export_csv(session, "2026-03").splitlines() == [
        "item_id,member_id,name,amount,currency,reference",
        f"{a},A,A,6.76,EUR,fairtree 2026-03 item {a}",
        f"{c},C,C,605,JPY,fairtree 2026-03 item {c}",
    ]


def test_finalize_refuses_a_missing_or_bad_rate_naming_the_currency(session: Session) -> None:
    seed_company(session)
    set_member(session, "A", currency="EUR")
    set_member(session, "D", currency="JPY")  # earns nothing, may be paid later: needs a rate
    close_period(session, "2026-03")
    with pytest.raises(ValidationError) as refused:
        finalize_run(session, "2026-03")
    assert [(p.location, p.reason) for p in refused.value.problems] == [
        ("EUR", "no exchange rate USD->EUR given; members are paid in EUR"),
        ("JPY", "no exchange rate USD->JPY given; members are paid in JPY"),
    ]
    for rates, reason in (
        ({"EUR": "-1", "JPY": "150"}, "not a positive decimal: '-1'"),
        ({"EUR": "abc", "JPY": "150"}, "not a positive decimal: 'abc'"),
        ({"EUR": "0.9", "JPY": "150", "USD": "1.1"}, "USD is the run currency: 1"),
        ({"EUR": "0.9", "JPY": "150", "EURO": "1"}, "not a currency code"),
    ):
        with pytest.raises(ValidationError, match=re.escape(reason)):
            finalize_run(session, "2026-03", rates)
    # Nothing was written: the run is still a draft without a snapshot.
    run = runs.find_run(session, the_company(session).id, "2026-03", "draft")
    assert run is not None and runs.exchange_rates(session, run.id) == {}


def test_a_batch_refuses_a_currency_missing_from_the_snapshot(session: Session) -> None:
    finalized_march(session)
    set_member(session, "A", currency="EUR")  # changed after the finalize
    with pytest.raises(ValidationError, match=r"no exchange rate USD->EUR in the snapshot of run"):
        create_batch(session, "2026-03", minimum_payout=0)
    assert store.find_batch(session, the_company(session).id, "2026-03") is None


def test_holds_keep_the_balance(session: Session) -> None:
    finalized_march(session)
    set_member(session, "C", identity_verified=False)
    session.add(PayoutHold(member_id=member_db_id(session, "A"), reason="disputed", note="x"))
    session.flush()
    summary = create_batch(session, "2026-03", minimum_payout=0)
    assert (summary.pending, summary.held) == (0, 2)
    assert [(i[0], i[5], i[6]) for i in items(session)] == [
        ("A", "held", "disputed"),
        ("C", "held", "identity not verified"),
    ]
    assert ledger.balances(session)[("member_payable", member_db_id(session, "A"))] == -734


def test_paid_and_failed_items_move_in_the_ledger(session: Session) -> None:
    finalized_march(session)
    create_batch(session, "2026-03", minimum_payout=0)
    item_of = item_ids(session)
    assert mark_items(session, "2026-03", [item_of["A"]], paid=True) == 1
    assert mark_items(session, "2026-03", [item_of["C"]], paid=False, reason="bank refused") == 1
    a, c = member_db_id(session, "A"), member_db_id(session, "C")
    balances = ledger.balances(session)
    assert balances[("payouts_paid", a)] == -734
    assert balances[("payouts_in_transit", a)] == 0
    assert balances[("member_payable", c)] == -400  # failed: owed again
    assert balances[("payouts_in_transit", c)] == 0
    with pytest.raises(ConflictError, match="only 0 of 1 items were pending"):
        mark_items(session, "2026-03", [item_of["A"]], paid=False)
    # The failed amount is paid with the next batch.
    post_order(session, "O-A4", "A", date(2026, 4, 3), "60", "60")
    close_period(session, "2026-04")
    finalize_run(session, "2026-04")
    create_batch(session, "2026-04", minimum_payout=0)
    assert [(i[0], i[1], i[5]) for i in items(session, "2026-04")] == [("C", 400, "pending")]


def test_a_batch_needs_a_finalized_period_and_is_made_once(session: Session) -> None:
    seed_company(session)
    close_period(session, "2026-03")
    with pytest.raises(ConflictError, match="not finalized"):
        create_batch(session, "2026-03", minimum_payout=0)
    finalize_run(session, "2026-03")
    create_batch(session, "2026-03", minimum_payout=0)
    with pytest.raises(ConflictError, match="already has a payout batch"):
        create_batch(session, "2026-03", minimum_payout=0)


def test_the_cli_takes_the_rates_at_finalize_and_pays_at_them(
    committing_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIRTREE_DATABASE_URL", db_url)
    with Session(committing_engine) as session, session.begin():
        seed_company(session)
        set_member(session, "A", currency="EUR")
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), terminal_width=200)
        assert result.exit_code == 0, result.output
        return result.output

    run("close", "2026-03")
    refused = runner.invoke(app, ["close", "finalize", "2026-03"], terminal_width=200)
    assert refused.exit_code != 0
    assert "no exchange rate USD->EUR given" in refused.output
    run("close", "finalize", "2026-03", "--rate", "eur=0.9215")
    assert "exchange rates per 1 USD: EUR 0.9215" in run("close", "review", "2026-03")
    assert "2 to pay" in run("payout", "create", "2026-03")
    with Session(committing_engine) as session:
        assert [(i[0], i[2], i[3], i[4]) for i in items(session)] == [
            ("A", "EUR", 676, "0.9215"),
            ("C", "USD", 400, "1"),
        ]

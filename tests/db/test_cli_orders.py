"""``fairtree orders post`` against the test database: orders, customers' orders and
returns are stored and counted live; refusals print every problem and change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fairtree.cli.main import app as cli
from fairtree.store.models import AuditRecord, Order
from fairtree.store.repositories.orders import running_volumes as volumes
from tests.factories import member_db_id, seed_intake

runner = CliRunner()


@pytest.fixture
def company(committing_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("FAIRTREE_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "160")
    with Session(committing_engine) as session, session.begin():
        seed_intake(session)
    return committing_engine


def pv(engine: Engine, member: str) -> int:
    with Session(engine) as session:
        rows = volumes.period_rows(session, "2026-03")
        return rows.get(member_db_id(session, member), (0, 0, 0))[0]


def orders(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalars(select(func.count()).select_from(Order)).one()


def run(*args: str):
    return runner.invoke(cli, ["orders", "post", *args])


def test_post_an_order_a_customers_order_and_a_return(company: Engine) -> None:
    result = run("O1", "--member", "D", "--line", "Q=2", "--line", "N=1", "--on", "2026-03-05")
    assert result.exit_code == 0, result.output
    assert "O1: order by member D on 2026-03-05, counts in 2026-03 (posted)" in result.output
    assert "totals: PV 100.00, BV 80.00, sales 80.00, other sales 3.00" in result.output
    assert pv(company, "D") == 10000
    sold = run("K1", "--customer", "K", "--line", "S=1", "--on", "2026-03-06")
    assert sold.exit_code == 0, sold.output
    assert "K1: order by customer K of C" in sold.output
    assert "retail margin 3.00 USD" in sold.output
    assert pv(company, "C") == 1000
    back = run("R1", "--returns", "O1", "--on", "2026-03-09")
    assert back.exit_code == 0, back.output
    assert "R1: return of O1 by member D" in back.output
    assert "totals: PV -100.00" in back.output
    assert pv(company, "D") == 0
    again = run("R1", "--returns", "O1", "--on", "2026-03-09")
    assert "(already posted with the same content)" in again.output
    assert orders(company) == 3
    with Session(company) as session:
        audited = session.execute(
            select(AuditRecord.subject_id, AuditRecord.actor, AuditRecord.reason)
            .where(AuditRecord.action == "order_posted")
            .order_by(AuditRecord.id)
        ).all()
    assert [tuple(row) for row in audited] == [
        (order_id, "local-operator", "posted through the CLI") for order_id in ("O1", "K1", "R1")
    ]


def test_refusals_print_every_problem_and_change_nothing(company: Engine) -> None:
    result = run("O1", "--member", "D", "--line", "NOPE=1", "--line", "Q=2", "--on", "2025-12-01")
    assert result.exit_code == 1
    assert "2 problem(s); nothing was changed" in result.output
    assert "order:O1 [placed_on]: order is dated before its buyer joined" in result.output
    assert "order:O1 line 1 [sku]: no product 'NOPE' in US" in result.output
    run("O2", "--member", "D", "--line", "Q=1", "--on", "2026-03-05")
    conflict = run("O2", "--member", "C", "--line", "Q=1", "--on", "2026-03-05")
    assert conflict.exit_code == 1
    assert "refused: order O2 was already posted with a different buyer_member_id" in (
        conflict.output
    )
    bad_line = run("O3", "--member", "D", "--line", "Q")
    assert bad_line.exit_code == 2
    assert orders(company) == 1
    assert pv(company, "D") == 5000


def test_an_order_kind_is_stored_and_a_different_replay_is_refused(company: Engine) -> None:
    result = run(
        "S1", "--member", "D", "--line", "Q=1", "--on", "2026-03-05", "--kind", "subscription"
    )
    assert result.exit_code == 0, result.output
    assert "S1: subscription order by member D on 2026-03-05" in result.output
    with Session(company) as session:
        stored = session.scalars(select(Order).where(Order.order_id == "S1")).one()
        assert (stored.kind, stored.order_kind) == ("order", "subscription")
    replay = run("S1", "--member", "D", "--line", "Q=1", "--on", "2026-03-05")
    assert replay.exit_code == 1
    assert "kind" in replay.output
    bad = run("S2", "--member", "D", "--line", "Q=1", "--kind", "Sub scription")
    assert bad.exit_code == 1
    assert "[kind]" in bad.output
    assert orders(company) == 1
    both = run("R9", "--returns", "S1", "--kind", "subscription")
    assert both.exit_code == 2
    assert "a return takes its order's kind" in both.output

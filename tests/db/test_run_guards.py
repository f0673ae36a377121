"""The database itself keeps a finalized run and everything written with it unchanged.

Each refusal comes from a trigger (revision 0006_run_guards) and names the run and its
period; drafts stay free to replace, and finalizing still works.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

import numpy as np
import pytest
from sqlalchemy import Executable, Table, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.store.models import (
    Base,
    CommissionRun,
    Member,
    PayoutLine,
    RankRecord,
    RunBonusTotal,
    RunCarryValue,
    RunExchangeRate,
)
from fairtree.store.repositories.commissions import runs
from tests import factories
from tests.factories import member_db_id, post_order, seed_company

LINES: Table = PayoutLine.__table__  # type: ignore[assignment]
RUNS: Table = CommissionRun.__table__  # type: ignore[assignment]


def finalized_march(session: Session) -> int:
    """March finalized with a carry value and an exchange rate, so every table has rows."""
    seed_company(session)
    session.execute(update(Member).where(Member.member_id == "D").values(currency="EUR"))
    draft = close_period(session, "2026-03")
    ids = np.array([member_db_id(session, "A")], dtype=np.int64)
    runs.insert_carry_values(session, draft.run_id, ids, {"binary.left": np.array([250])})
    return finalize_run(session, "2026-03", {"EUR": "0.9215"})


def refused(session: Session, statement: Executable, message: str) -> None:
    """``statement`` fails with ``message`` and changes nothing."""
    with pytest.raises(DBAPIError, match=re.escape(message)), session.begin_nested():
        session.execute(statement)


def snapshot(session: Session, run_id: int) -> dict[str, Any]:
    run = session.execute(select(RUNS).where(RUNS.c.id == run_id)).one()
    counted = {}
    for model in (PayoutLine, RankRecord, RunBonusTotal, RunCarryValue, RunExchangeRate):
        counted[model.__tablename__] = session.scalar(
            select(func.count()).select_from(model).where(model.run_id == run_id)
        )
    amounts = session.scalar(select(func.sum(LINES.c.amount)).where(LINES.c.run_id == run_id))
    return {"run": tuple(run), "rows": counted, "amounts": amounts}


def test_a_finalized_run_cannot_be_updated_or_deleted(session: Session) -> None:
    run_id = finalized_march(session)
    before = snapshot(session, run_id)
    name = f"commission run {run_id} (period 2026-03) is finalized"
    where = RUNS.c.id == run_id
    refused(session, RUNS.update().where(where).values(total_paid=0), f"{name}: UPDATE refused")
    refused(
        session,
        RUNS.update().where(where).values(status="draft", finalized_at=None),
        f"{name}: UPDATE refused",
    )
    refused(session, RUNS.delete().where(where), f"{name}: DELETE refused")
    assert snapshot(session, run_id) == before


@pytest.mark.parametrize(
    ("model", "change"),
    [
        (PayoutLine, {"amount": PayoutLine.amount + 1}),
        (RunBonusTotal, {"kind": "changed"}),
        (RankRecord, {"pv": RankRecord.pv + 1}),
        (RunCarryValue, {"value": 1}),
        (RunExchangeRate, {"rate": "1"}),
    ],
)
def test_the_rows_of_a_finalized_run_cannot_change(
    session: Session, model: type, change: dict[str, object]
) -> None:
    run_id = finalized_march(session)
    before = snapshot(session, run_id)
    table: Table = model.__table__  # type: ignore[attr-defined]
    name = f"commission run {run_id} (period 2026-03) is finalized"
    mine = table.c.run_id == run_id
    refused(
        session,
        table.update().where(mine).values(change),
        f"{name}: UPDATE of {table.name} refused",
    )
    refused(session, table.delete().where(mine), f"{name}: DELETE from {table.name} refused")
    assert snapshot(session, run_id) == before


def test_no_row_can_be_added_to_a_finalized_run(session: Session) -> None:
    run_id = finalized_march(session)
    before = snapshot(session, run_id)
    name = f"commission run {run_id} (period 2026-03) is finalized"
    a = member_db_id(session, "A")
    late = factories.member("E", joined_on=date(2026, 3, 1))
    session.add(late)
    session.flush()
    new_rows: dict[type[Base], dict[str, object]] = {
        PayoutLine: {"member_id": a, "bonus_id": "uni", "kind": "commission", "amount": 1},
        RunBonusTotal: {"bonus_id": "extra", "kind": "unilevel", "pool": 0, "paid": 0},
        RankRecord: {"member_id": late.id, "period_key": "2026-03", "paid_as_rank": 0},
        RunCarryValue: {"key": "binary.right", "member_id": a, "value": 5},
        RunExchangeRate: {"currency": "JPY", "rate": "151.37"},
    }
    defaults: dict[type[Base], dict[str, object]] = {
        PayoutLine: {"explanation_ref": "2026-03/A/uni"},
        RunBonusTotal: {"breakage": 0, "report_only": False},
        RankRecord: {"highest_rank": 0, "pv": 0, "group_volume": 0},
    }
    for model, values in new_rows.items():
        table = cast(Table, model.__table__)
        row = {"run_id": run_id, **values, **defaults.get(model, {})}
        refused(session, table.insert().values(row), f"{name}: INSERT into {table.name} refused")
    assert snapshot(session, run_id) == before


def test_a_line_cannot_move_into_or_out_of_a_finalized_run(session: Session) -> None:
    march = finalized_march(session)
    post_order(session, "O-C4", "C", date(2026, 4, 2), "60", "60")
    post_order(session, "O-D4", "D", date(2026, 4, 2), "50", "50")
    april = close_period(session, "2026-04").run_id
    line = session.scalar(select(LINES.c.id).where(LINES.c.run_id == april).limit(1))
    assert line is not None
    name = f"commission run {march} (period 2026-03) is finalized"
    move_in = LINES.update().where(LINES.c.id == line).values(run_id=march)
    refused(session, move_in, f"{name}: UPDATE of payout_lines refused")
    first = session.scalar(select(LINES.c.id).where(LINES.c.run_id == march).limit(1))
    move_out = LINES.update().where(LINES.c.id == first).values(run_id=april)
    refused(session, move_out, f"{name}: UPDATE of payout_lines refused")


def test_a_run_cannot_be_inserted_as_finalized(session: Session) -> None:
    seed_company(session)
    draft = close_period(session, "2026-03")
    row = session.execute(select(RUNS).where(RUNS.c.id == draft.run_id)).one()._asdict()
    row.update(id=None, period_key="2026-04", status="finalized", finalized_at=row["created_at"])
    refused(
        session,
        RUNS.insert().values(row),
        "(period 2026-04): INSERT as finalized refused (a run starts as a draft)",
    )


def test_a_draft_stays_replaceable_and_finalize_still_works(session: Session) -> None:
    seed_company(session)
    first = close_period(session, "2026-03")
    # A draft's rows may be changed and deleted; closing again replaces the whole draft.
    session.execute(LINES.update().where(LINES.c.run_id == first.run_id).values(amount=1))
    second = close_period(session, "2026-03")
    assert second.replaced_draft and second.digest == first.digest
    assert session.scalar(select(func.count()).select_from(CommissionRun)) == 1
    amounts = select(LINES.c.amount).where(LINES.c.run_id == second.run_id).order_by(LINES.c.id)
    assert session.scalars(amounts).all() == [734, 400]
    run_id = finalize_run(session, "2026-03")
    assert run_id == second.run_id
    run = session.scalars(select(CommissionRun).where(CommissionRun.id == run_id)).one()
    session.refresh(run)
    assert (run.status, run.total_paid) == ("finalized", 1134)
    # A later period still closes, draft after draft, with corrections of March.
    post_order(session, "O-LATE", "B", date(2026, 3, 30), "40", "40")
    april = close_period(session, "2026-04")
    again = close_period(session, "2026-04")
    assert again.replaced_draft and (again.adjustments, again.digest) == (
        april.adjustments,
        april.digest,
    )
    assert april.adjustments > 0
    finalize_run(session, "2026-04")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "table",
    [
        "commission_runs",
        "payout_lines",
        "run_bonus_totals",
        "rank_history",
        "run_carry_values",
        "run_exchange_rates",
    ],
)
def test_truncate_of_a_finalized_runs_tables_is_refused(session: Session, table: str) -> None:
    run_id = finalized_march(session)
    before = snapshot(session, run_id)
    message = f"commission run {run_id} (period 2026-03) is finalized: TRUNCATE of"
    refused(session, text(f"TRUNCATE {table} CASCADE"), message)
    assert snapshot(session, run_id) == before


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["ledger_transactions", "ledger_entries", "members"])
def test_truncate_of_the_ledger_is_refused(session: Session, table: str) -> None:
    """Directly, or reached by a CASCADE from a table the ledger points at."""
    run_id = finalized_march(session)
    before = session.scalar(text("SELECT count(*) FROM ledger_entries"))
    assert before > 0
    with pytest.raises(DBAPIError, match="refused"), session.begin_nested():
        session.execute(text(f"TRUNCATE {table} CASCADE"))
    assert session.scalar(text("SELECT count(*) FROM ledger_entries")) == before
    assert snapshot(session, run_id)["rows"]["payout_lines"] > 0


def test_a_draft_only_database_may_still_be_emptied_by_delete(session: Session) -> None:
    seed_company(session)
    draft = close_period(session, "2026-03")
    session.execute(LINES.delete().where(LINES.c.run_id == draft.run_id))
    assert session.scalar(select(func.count()).select_from(PayoutLine)) == 0

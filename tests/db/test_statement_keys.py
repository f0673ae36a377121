"""The references of a close's bulk rows hold on both databases: foreign keys on
SQLite, statement triggers over the transition tables on PostgreSQL (migration 0015).
A written row naming a missing member, run, line or transaction fails; a referenced
member cannot be deleted or renumbered; deleting a draft run
deletes its rank rows and lines."""

from __future__ import annotations

import pytest
from sqlalchemy import Executable, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.store.models import (
    CommissionRun,
    LedgerEntry,
    Member,
    PayoutLine,
    RankRecord,
)
from tests import factories
from tests.factories import member_db_id, seed_company

LINES: Table = PayoutLine.__table__  # type: ignore[assignment]
RANKS: Table = RankRecord.__table__  # type: ignore[assignment]
ENTRIES: Table = LedgerEntry.__table__  # type: ignore[assignment]
MISSING = 987_654_321


def fails(session: Session, statement: Executable) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(statement)


def _line(run_id: int, member_id: int) -> dict[str, object]:
    return {
        "run_id": run_id,
        "member_id": member_id,
        "bonus_id": "unilevel",
        "kind": "commission",
        "amount": 100,
        "explanation_ref": "2026-03/X/unilevel",
    }


def _rank(run_id: int, member_id: int) -> dict[str, object]:
    return {
        "run_id": run_id,
        "member_id": member_id,
        "period_key": "2026-03",
        "paid_as_rank": 0,
        "highest_rank": 0,
        "pv": 0,
        "group_volume": 0,
    }


def test_written_rows_need_their_member_and_run(session: Session) -> None:
    seed_company(session)
    run_id = close_period(session, "2026-03").run_id
    outside = member_db_id(session, "A")
    session.execute(delete(RANKS).where(RANKS.c.member_id == outside))
    fails(session, insert(LINES).values(_line(run_id, MISSING)))
    fails(session, insert(LINES).values(_line(MISSING, outside)))
    fails(session, insert(RANKS).values(_rank(run_id, MISSING)))
    fails(session, insert(RANKS).values(_rank(MISSING, outside)))
    fails(session, update(RANKS).where(RANKS.c.run_id == run_id).values(member_id=MISSING))
    fails(session, update(LINES).where(LINES.c.run_id == run_id).values(run_id=MISSING))
    session.execute(insert(RANKS).values(_rank(run_id, outside)))  # a real member is fine
    count = select(func.count()).select_from(RANKS).where(RANKS.c.member_id == outside)
    assert session.scalar(count) == 1


def test_ledger_entries_need_their_transaction_member_and_line(session: Session) -> None:
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    entry = session.execute(select(ENTRIES).where(ENTRIES.c.payout_line_id.is_not(None))).first()
    assert entry is not None
    row = {k: v for k, v in entry._mapping.items() if k != "id"}
    for column in ("transaction_id", "member_id", "payout_line_id"):
        fails(session, insert(ENTRIES).values({**row, column: MISSING}))
    session.execute(insert(ENTRIES).values(row))  # the same row with real keys is fine


def _bare_member(session: Session) -> int:
    """A member nothing else references yet (no history, no orders)."""
    member = factories.member("Z")
    session.add(member)
    session.flush()
    return member.id


def test_a_referenced_member_cannot_be_deleted_or_renumbered(session: Session) -> None:
    seed_company(session)
    run_id = close_period(session, "2026-03").run_id
    member = _bare_member(session)
    for table, row in ((RANKS, _rank(run_id, member)), (LINES, _line(run_id, member))):
        session.execute(insert(table).values(row))
        fails(session, delete(Member).where(Member.id == member))
        fails(session, update(Member).where(Member.id == member).values(id=MISSING))
        session.execute(delete(table).where(table.c.member_id == member))
    session.execute(delete(Member).where(Member.id == member))  # unreferenced: it goes
    assert session.scalar(select(func.count()).where(Member.id == member)) == 0


def test_deleting_a_draft_run_deletes_its_rows(session: Session) -> None:
    seed_company(session)
    run_id = close_period(session, "2026-03").run_id
    for table in (LINES, RANKS):
        assert session.scalar(select(func.count()).where(table.c.run_id == run_id))
    session.execute(delete(CommissionRun).where(CommissionRun.id == run_id))
    for table in (LINES, RANKS):
        assert session.scalar(select(func.count()).where(table.c.run_id == run_id)) == 0

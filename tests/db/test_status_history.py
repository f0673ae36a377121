"""A member's status is dated: a close uses the status each member had on the period's
last day, however late the close runs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from fairtree.engine.inputs import STATUS_CODES
from fairtree.periods import Period
from fairtree.services.commissions.close import close_period
from fairtree.services.member_data.account_closing import close_account
from fairtree.services.network.genealogy import terminate
from fairtree.store.migrate import upgrade
from fairtree.store.models import GenealogyRecord, Member
from fairtree.store.repositories.bulk import engine_arrays
from fairtree.store.repositories.commissions import runs
from tests.factories import MARCH_ORDERS, member_db_id, post_order, seed_company


def statuses(session: Session, period: str) -> dict[str, str]:
    """Every member's status in the engine input of ``period``."""
    members, _ = engine_arrays.load_members(session, Period.parse(period))
    names = {code: name for name, code in STATUS_CODES.items()}
    return {str(m): names[int(s)] for m, s in zip(members.ids, members.status, strict=True)}


def lines(session: Session, run_id: int) -> list[tuple[str, str, int]]:
    return [(row[2], row[3], row[5]) for row in runs.line_rows(session, run_id)]


def history(session: Session, name: str) -> list[tuple[Any, ...]]:
    rows = session.execute(
        select(
            GenealogyRecord.valid_from,
            GenealogyRecord.valid_to,
            GenealogyRecord.status,
            GenealogyRecord.reason,
        )
        .where(GenealogyRecord.member_id == member_db_id(session, name))
        .order_by(GenealogyRecord.valid_from, GenealogyRecord.id)
    )
    return [tuple(row) for row in rows]


def test_a_termination_in_may_leaves_march_pay_unchanged(session: Session) -> None:
    seed_company(session)
    before = close_period(session, "2026-03")
    assert lines(session, before.run_id) == [("A", "uni", 734), ("C", "uni", 400)]
    terminate(session, None, "C", reason="left the business", effective_on=date(2026, 5, 1))
    assert history(session, "C") == [
        (date(2026, 1, 1), date(2026, 5, 1), "active", "test"),
        (date(2026, 5, 1), None, "terminated", "terminate"),
    ]
    # March closed again after the termination: C was active then and is paid the same.
    again = close_period(session, "2026-03")
    assert statuses(session, "2026-03")["C"] == "active"
    assert lines(session, again.run_id) == [("A", "uni", 734), ("C", "uni", 400)]
    assert again.digest == before.digest
    # May: C is terminated (not paid, compressed away) and D has rolled up to B.
    for order_id, buyer, pv, bv in MARCH_ORDERS:
        post_order(session, f"{order_id}-MAY", buyer, date(2026, 5, 10), pv, bv)
    assert statuses(session, "2026-05") == {
        "A": "active",
        "B": "active",
        "C": "terminated",
        "D": "active",
    }
    may = close_period(session, "2026-05")
    # A, the only active upline, takes level 1 of B (20), C (33.35) and D (40): 9.335.
    assert lines(session, may.run_id) == [("A", "uni", 934)]


def test_closing_an_account_is_dated_in_the_history(session: Session) -> None:
    seed_company(session)
    member = session.scalars(select(Member).where(Member.member_id == "C")).one()
    close_account(session, None, member, None, date(2026, 5, 15))
    assert history(session, "C") == [
        (date(2026, 1, 1), date(2026, 5, 15), "active", "test"),
        (date(2026, 5, 15), None, "closed", "close"),
    ]
    assert statuses(session, "2026-04")["C"] == "active"
    assert statuses(session, "2026-05")["C"] == "closed"
    march = close_period(session, "2026-03")
    assert lines(session, march.run_id) == [("A", "uni", 734), ("C", "uni", 400)]


# --- the migration's backfill -------------------------------------------------------

MEMBERS = """
INSERT INTO members (id, member_id, sponsor_id, joined_on, status, status_since, country,
    currency, display_name, identity_verified)
VALUES (1, 'A', NULL, '2026-01-01', 'active', '2026-01-01', 'US', 'USD', 'A', TRUE),
       (2, 'B', 1, '2026-01-01', 'terminated', '2026-05-01', 'US', 'USD', 'B', TRUE),
       (3, 'C', 1, '2026-01-01', 'closed', '2026-04-15', 'US', 'USD', 'C', TRUE),
       (4, 'D', 1, '2026-01-01', 'inactive', '2026-02-01', 'US', 'USD', 'D', TRUE)
"""
# B terminated by `fairtree terminate` (its row starts on status_since); C closed and D
# inactive with rows spanning status_since; D moved on 03-01.
HISTORY = """
INSERT INTO genealogy_history (member_id, sponsor_id, valid_from, valid_to, reason, actor)
VALUES (1, NULL, '2026-01-01', NULL, 'import', 'x'),
       (2, 1, '2026-01-01', '2026-05-01', 'import', 'x'),
       (2, 1, '2026-05-01', NULL, 'terminate', 'x'),
       (3, 1, '2026-01-01', NULL, 'import', 'x'),
       (4, 1, '2026-01-01', '2026-03-01', 'import', 'x'),
       (4, 1, '2026-03-01', NULL, 'move', 'x')
"""


@pytest.fixture
def empty_url(db_url: str, tmp_path) -> Iterator[str]:
    """A new, empty database of the backend under test (next to the test database)."""
    if make_url(db_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'backfill.sqlite3'}"
        return
    name = f"fairtree_backfill_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(db_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_migration_dates_existing_statuses(empty_url: str) -> None:
    upgrade(empty_url, "0004_ledger")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(MEMBERS))
            connection.execute(text(HISTORY))
        upgrade(empty_url)
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT member_id, CAST(valid_from AS TEXT), CAST(valid_to AS TEXT),"
                    " status, reason FROM genealogy_history ORDER BY member_id, valid_from"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, "2026-01-01", None, "active", "import"),
        (2, "2026-01-01", "2026-05-01", "active", "import"),
        (2, "2026-05-01", None, "terminated", "terminate"),
        (3, "2026-01-01", "2026-04-15", "active", "import"),
        (3, "2026-04-15", None, "closed", "status"),
        (4, "2026-01-01", "2026-02-01", "active", "import"),
        (4, "2026-02-01", "2026-03-01", "inactive", "status"),
        (4, "2026-03-01", None, "inactive", "move"),
    ]

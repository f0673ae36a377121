"""A close killed with SIGKILL at any moment leaves the state before it or the whole new
state, never a half; closing again gives identical lines. Runs the real command in a
subprocess against SQLite and PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from typing import Any, cast

import pytest
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.orm import Session

from fairtree.store.models import CommissionRun, LedgerEntry, PayoutLine, RankRecord
from tests.factories import post_order, seed_company

pytestmark = pytest.mark.slow

COMMAND = "from fairtree.cli.main import app; app()"
EXPECTED = [("A", "uni", 734), ("C", "uni", 400)]
PAUSES = ["close_after_delete", "close_after_lines", "close_before_commit"]


def start(db_url: str, *args: str, pause: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "FAIRTREE_DATABASE_URL": db_url}
    env.pop("FAIRTREE_TEST_PAUSE", None)
    if pause:
        env["FAIRTREE_TEST_PAUSE"] = pause
        env["FAIRTREE_TEST_PAUSE_SECONDS"] = "60"
    return subprocess.Popen(
        [sys.executable, "-c", COMMAND, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_to_end(db_url: str, *args: str) -> None:
    process = start(db_url, *args)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, out + err


def kill_at(db_url: str, pause: str, *args: str) -> None:
    """Start the command, wait until it reports the pause point, then SIGKILL it."""
    process = start(db_url, *args, pause=pause)
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line.strip() == f"PAUSED {pause}", line + process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def state(engine: Engine) -> dict[str, Any]:
    """Everything a close or finalize writes, in a comparable form."""
    with Session(engine) as session:
        runs = session.execute(
            select(
                CommissionRun.period_key, CommissionRun.status, CommissionRun.lines_digest
            ).order_by(CommissionRun.period_key)
        ).all()
        lines = session.execute(
            select(PayoutLine.member_id, PayoutLine.bonus_id, PayoutLine.amount).order_by(
                PayoutLine.id
            )
        ).all()
        return {
            "runs": [tuple(r) for r in runs],
            "lines": [tuple(r) for r in lines],
            "ranks": session.scalar(select(func.count()).select_from(RankRecord)),
            "entries": session.scalar(select(func.count()).select_from(LedgerEntry)),
        }


def line_names(engine: Engine) -> list[tuple[Any, ...]]:
    from fairtree.store.models import Member

    with Session(engine) as session:
        rows = session.execute(
            select(Member.member_id, PayoutLine.bonus_id, PayoutLine.amount)
            .join(Member, Member.id == PayoutLine.member_id)
            .order_by(PayoutLine.id)
        ).all()
    return [tuple(r) for r in rows]


def drop_runs(engine: Engine) -> None:
    """Delete every run with its lines and ranks."""
    with Session(engine) as session, session.begin():
        for model in (RankRecord, PayoutLine, CommissionRun):
            session.execute(cast(Table, model.__table__).delete())


@pytest.fixture
def seeded(committing_engine: Engine) -> Engine:
    with Session(committing_engine) as session, session.begin():
        seed_company(session)
    return committing_engine


@pytest.mark.parametrize("pause", PAUSES)
def test_a_killed_first_close_leaves_nothing(seeded: Engine, db_url: str, pause: str) -> None:
    before = state(seeded)
    kill_at(db_url, pause, "close", "2026-03")
    assert state(seeded) == before
    run_to_end(db_url, "close", "2026-03")
    assert line_names(seeded) == EXPECTED


def test_a_killed_rerun_keeps_the_old_draft_whole(seeded: Engine, db_url: str) -> None:
    run_to_end(db_url, "close", "2026-03")
    first = state(seeded)
    with Session(seeded) as session, session.begin():
        post_order(session, "O-B2", "B", date(2026, 3, 20), "40", "40")  # B becomes active
    for pause in PAUSES:
        kill_at(db_url, pause, "close", "2026-03")
        assert state(seeded) == first
    run_to_end(db_url, "close", "2026-03")
    after = state(seeded)
    assert after["runs"][0][2] != first["runs"][0][2]
    run_to_end(db_url, "close", "2026-03")
    again = state(seeded)
    assert again["runs"] == after["runs"] and again["lines"] == after["lines"]


def test_a_killed_finalize_leaves_the_draft(seeded: Engine, db_url: str) -> None:
    run_to_end(db_url, "close", "2026-03")
    draft = state(seeded)
    kill_at(db_url, "finalize_before_commit", "close", "finalize", "2026-03")
    assert state(seeded) == draft
    run_to_end(db_url, "close", "finalize", "2026-03")
    final = state(seeded)
    assert final["runs"][0][1] == "finalized" and final["entries"] == 3


def test_killed_at_random_moments_the_state_is_before_or_complete(
    seeded: Engine, db_url: str
) -> None:
    clean_run = start(db_url, "close", "2026-03")
    started = time.perf_counter()
    clean_run.communicate(timeout=120)
    duration = time.perf_counter() - started
    complete = state(seeded)
    drop_runs(seeded)
    before = state(seeded)
    chooser = random.Random(20261122)
    for _ in range(3):
        process = start(db_url, "close", "2026-03")
        time.sleep(chooser.uniform(0.6 * duration, 1.1 * duration))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert state(seeded) in (before, complete)
        run_to_end(db_url, "close", "2026-03")
        assert state(seeded) == complete
        assert line_names(seeded) == EXPECTED
        drop_runs(seeded)

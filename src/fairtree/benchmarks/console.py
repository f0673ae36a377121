"""`fairtree bench console`: the operator console's heavy pages timed on a large company.

Seeds (when the database holds no run) a synthetic network of N members (``ledger_seed``)
with one order per member in March and again in April 2026, display names a search can
find ("Ann M0000042"), and a staff sign-in; closes and finalizes March and April with the
real close. Then it times, through the real application (FastAPI's test client, pages
rendered, the admin signed in):

- ``member_search``: ``/console/members?q=...`` by a name part and by an exact id;
- ``review_page``: ``/console/periods/2026-04``, the review of a finalized period (totals
  by bonus, largest changes against March, anomalies against March);
- ``what_if``: the what-if service over April with a draft that pays level one at 12%
  instead of 10%, both plans evaluated in full, with a progress display on stderr; the
  stages' seconds are in the line.

The issue's targets at 1,000,000 members in PostgreSQL: search under 200 ms, the review
page under 1 s, the what-if under 30 s. Each page figure is p50/p95/max ms over ``runs``
calls after one warm-up; the what-if is timed once, wall and CPU seconds.
"""

from __future__ import annotations

import re
import time
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fairtree.api.app import create_app
from fairtree.benchmarks import ledger_seed
from fairtree.benchmarks.member_pages import name_members, percentiles
from fairtree.config import Settings
from fairtree.services.access import users
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.whatif import what_if
from fairtree.services.progress import NoProgress, Progress
from fairtree.store.database import session_scope, settle
from fairtree.store.models import CommissionRun, Member, PlanVersion
from fairtree.store.repositories.bulk.load import (
    advance_id_sequences,
    defer_sqlite_foreign_keys,
    insert_rows,
)

if TYPE_CHECKING:  # the test client is loaded only when the benchmark runs, not by every command
    from fastapi.testclient import TestClient

PERIODS = ("2026-03", "2026-04")
REVIEWED = PERIODS[-1]
APRIL = date(2026, 4, 1)
STAFF_LOGIN = "bench-admin@example.test"
STAFF_PASSWORD = "benchmark password 1"  # noqa: S105 - a scratch database's sign-in
TARGETS = {"member_search_ms": 200, "review_page_ms": 1000, "what_if_s": 30}


def is_seeded(engine: Engine) -> bool:
    with Session(engine) as session:
        return bool(session.scalar(select(func.count()).select_from(CommissionRun)))


def seed(engine: Engine, members: int, seed_value: int) -> dict[str, float]:
    """Members, March and April orders, both months closed and finalized, a staff user."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    ledger_seed.seed(engine, members, members, seed_value)
    rng = np.random.default_rng(seed_value + 5)
    with Session(engine) as session, session.begin():
        if engine.dialect.name == "sqlite":
            defer_sqlite_foreign_keys(session)
        for table in ledger_seed.order_rows(rng, members, members, APRIL, members + 1):
            insert_rows(session, table)
        advance_id_sequences(session, ["orders"])
        name_members(session, members, rng)
        users.create_staff_user(session, STAFF_LOGIN, "admin", STAFF_PASSWORD)
    seconds["seed_s"] = round(time.perf_counter() - started, 1)
    for key in PERIODS:
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            close_period(session, key)
        with Session(engine) as session, session.begin():
            finalize_run(session, key)
        seconds[f"close_and_finalize_{key}_s"] = round(time.perf_counter() - started, 1)
    settle(engine)
    return seconds


def _timed_pages(client: TestClient, paths: list[str], runs: int) -> dict[str, float]:
    """Each path once as a warm-up, then ``runs`` calls spread over the paths."""
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
    samples = []
    for index in range(runs):
        path = paths[index % len(paths)]
        started = time.perf_counter()
        answer = client.get(path)
        samples.append(time.perf_counter() - started)
        assert answer.status_code == 200, (path, answer.status_code)
    return percentiles(samples)


def _sign_in(client: TestClient) -> None:
    form = client.get("/app/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None, "the sign-in form has no CSRF token"
    answer = client.post(
        "/app/login",
        data={"login": STAFF_LOGIN, "password": STAFF_PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


class StageClock:
    """Progress that passes each stage on to ``shown`` and keeps its seconds."""

    def __init__(self, shown: Progress) -> None:
        self.shown = shown
        self.stages: dict[str, float] = {}
        self._current: str | None = None
        self._since = time.perf_counter()

    def stage(self, name: str, total: int | None) -> None:
        self.close()
        self._current, self._since = name, time.perf_counter()
        self.shown.stage(name, total)

    def advance(self, units: int) -> None:
        self.shown.advance(units)

    def close(self) -> None:
        if self._current is not None:
            spent = time.perf_counter() - self._since
            self.stages[self._current] = round(self.stages.get(self._current, 0.0) + spent, 2)
            self._current = None


def run_console(
    engine: Engine,
    members: int,
    runs: int,
    seed_value: int = 1,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Seed when empty, then one JSON-ready line per figure (search, review, what-if)."""
    base: dict[str, Any] = {"database": engine.dialect.name}
    if not is_seeded(engine):
        base["seeded"] = seed(engine, members, seed_value)
    with Session(engine) as session:
        base["members"] = int(session.scalar(select(func.count()).select_from(Member)) or 0)
        some = session.scalar(select(Member.member_id).order_by(Member.id.desc()).limit(1))
    lines: list[dict[str, Any]] = []
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, cookie_secure=False, run_jobs=False)
    from fastapi.testclient import TestClient

    with TestClient(create_app(settings, engine=engine), base_url="http://localhost") as client:
        _sign_in(client)
        searches = ["/console/members?q=Ida", f"/console/members?q={some}"]
        lines.append(
            {
                **base,
                "figure": "member_search",
                **_timed_pages(client, searches, runs),
                "target_ms": TARGETS["member_search_ms"],
            }
        )
        review = [f"/console/periods/{REVIEWED}"]
        lines.append(
            {
                **base,
                "figure": "review_page",
                "period": REVIEWED,
                **_timed_pages(client, review, runs),
                "target_ms": TARGETS["review_page_ms"],
            }
        )
    with session_scope(engine) as session:
        text = session.scalar(select(PlanVersion.yaml_text).limit(1)) or ""
    draft = text.replace('rates: ["10%"', 'rates: ["12%"', 1)
    assert draft != text, "the benchmark plan's first unilevel rate moved"
    clock = StageClock(progress or NoProgress())
    started, cpu = time.perf_counter(), time.process_time()
    with session_scope(engine) as session:
        summary = what_if(session, REVIEWED, draft, "level one at 12%", clock)
    clock.close()
    lines.append(
        {
            **base,
            "figure": "what_if",
            "period": REVIEWED,
            "wall_s": round(time.perf_counter() - started, 2),
            "process_cpu_s": round(time.process_time() - cpu, 2),
            "stages_s": clock.stages,
            "gainers": summary["gainers"],
            "losers": summary["losers"],
            "what_if_members": summary["members"],
            "target_s": TARGETS["what_if_s"],
        }
    )
    return lines

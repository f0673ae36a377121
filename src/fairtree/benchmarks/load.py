"""`fairtree bench load`: read a period's network and orders from the store into arrays,
then (optionally) time the whole close (load, evaluate, write the draft), the finalize
and one member's statement.

Each step of the close and the finalize is emitted as one JSON line the moment it ends
(``{"benchmark": "close", "stage": "write_lines", ...}``), then one line per target
with all its steps. Each carries wall seconds, ``client_cpu_seconds`` (this process's
CPU time: steadier on a shared machine) and, when the database server runs on this
machine, ``server_cpu_seconds`` (the CPU time of the session's server process, read
from /proc; the close's parallel read connections are other processes and not in it),
and the load average while it ran.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fairtree.benchmarks.ledger_seed import seed
from fairtree.periods import Period
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.statements import member_statement
from fairtree.services.step_times import listen, take_steps
from fairtree.store.models import Member, PayoutLine
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts

PERIOD = "2026-03"
Emit = Callable[[dict[str, Any]], None]


def load_average() -> float:
    """The one-minute load average (the machine may be shared)."""
    return round(os.getloadavg()[0], 2)


class ServerClock:
    """CPU seconds of the database server process behind a session (PostgreSQL on this
    machine: /proc/PID/stat); None where it cannot be read (SQLite runs in-process)."""

    def __init__(self, session: Session) -> None:
        self.path: Path | None = None
        if session.get_bind().dialect.name == "postgresql":
            pid = session.scalar(select(func.pg_backend_pid()))
            candidate = Path(f"/proc/{pid}/stat")
            if candidate.exists():
                self.path = candidate
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float | None:
        if self.path is None:
            return None
        try:
            fields = self.path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime


class StageLines:
    """Emit one JSON line per step of a job as it ends, with CPU and load."""

    def __init__(self, session: Session, benchmark: str, common: dict[str, Any], emit: Emit):
        self.server = ServerClock(session)
        self.benchmark, self.common, self.emit = benchmark, common, emit
        self.cpu, self.server_cpu = time.process_time(), self.server.seconds()
        self.cpu_start, self.server_start = self.cpu, self.server_cpu
        listen(session, self.heard)

    def heard(self, name: str, seconds: float) -> None:
        self.line(name, seconds)

    def line(self, name: str, seconds: float) -> None:
        cpu, server = time.process_time(), self.server.seconds()
        line = {
            "benchmark": self.benchmark,
            "stage": name,
            **self.common,
            "seconds": round(seconds, 3),
            "client_cpu_seconds": round(cpu - self.cpu, 3),
        }
        if server is not None and self.server_cpu is not None:
            line["server_cpu_seconds"] = round(server - self.server_cpu, 3)
        line["load_average"] = load_average()
        self.cpu, self.server_cpu = cpu, server
        self.emit(line)

    def totals(self) -> dict[str, Any]:
        """CPU seconds since the job began (client, and server where known)."""
        out: dict[str, Any] = {"client_cpu_seconds": round(time.process_time() - self.cpu_start, 2)}
        server = self.server.seconds()
        if server is not None and self.server_start is not None:
            out["server_cpu_seconds"] = round(server - self.server_start, 2)
        out["load_average"] = load_average()
        return out


def run_load(
    engine: Engine,
    members: int,
    orders: int,
    seed_value: int,
    close: bool = True,
    statements: int = 200,
    emit: Emit | None = None,
) -> list[dict[str, Any]]:
    """The JSON lines: load; then close, finalize and statement when ``close``. Each
    line, and each stage of the close and the finalize, goes to ``emit`` as it ends;
    the target lines are also returned."""
    out = emit or (lambda line: None)
    started = time.perf_counter()
    seed(engine, members, orders, seed_value)
    seed_seconds = time.perf_counter() - started
    out({"benchmark": "seed", "seconds": round(seed_seconds, 1), "load_average": load_average()})
    timings = []
    for _ in range(3):
        with Session(engine) as session, session.begin():
            t0 = time.perf_counter()
            facts = load_period_facts(session, Period.parse(PERIOD), placement=False)
            timings.append(time.perf_counter() - t0)
    common = {"backend": engine.dialect.name, "members": len(facts.inputs.members)}
    lines: list[dict[str, Any]] = [
        {
            "benchmark": "load",
            **common,
            "orders": len(facts.inputs.orders),
            "load_seconds": [round(t, 2) for t in timings],
            "seed_seconds": round(seed_seconds, 1),
            "load_average": load_average(),
        }
    ]
    out(lines[-1])
    if not close:
        return lines
    with Session(engine) as session:
        with session.begin():
            stages = StageLines(session, "close", common, out)
            t0 = time.perf_counter()
            result = close_period(session, PERIOD)
            session.flush()
            steps = take_steps(session)
            t1 = time.perf_counter()
        committed = time.perf_counter() - t1
        stages.line("commit", committed)
        listen(session, None)
        lines.append(
            {
                "benchmark": "close",
                **common,
                "seconds": round(time.perf_counter() - t0, 2),
                **stages.totals(),
                "steps": {**steps, "commit": round(committed, 3)},
                "lines": result.lines,
                "total_paid": result.total_paid,
            }
        )
    out(lines[-1])
    with Session(engine) as session:
        with session.begin():
            stages = StageLines(session, "finalize", common, out)
            t0 = time.perf_counter()
            finalize_run(session, PERIOD)
            steps = take_steps(session)
            t1 = time.perf_counter()
        committed = time.perf_counter() - t1
        stages.line("commit", committed)
        listen(session, None)
        lines.append(
            {
                "benchmark": "finalize",
                **common,
                "seconds": round(time.perf_counter() - t0, 2),
                **stages.totals(),
                "steps": {**steps, "commit": round(committed, 3)},
            }
        )
    out(lines[-1])
    if statements:
        lines.append(statement_line(engine, statements, seed_value) | common)
        out(lines[-1])
    return lines


def _members_to_explain(engine: Engine, count: int, seed_value: int) -> tuple[list[str], str]:
    """``count`` random members (paid or not) and the top earner, by external id."""
    with Session(engine) as session:
        top = session.execute(
            select(Member.member_id)
            .join(PayoutLine, PayoutLine.member_id == Member.id)
            .group_by(Member.member_id)
            .order_by(func.sum(PayoutLine.amount).desc())
            .limit(1)
        ).scalar_one()
        size = int(session.scalar(select(func.max(Member.id))) or 0)
        picked = np.random.default_rng(seed_value).choice(np.arange(1, size + 1), count)
        names = session.execute(
            select(Member.member_id).where(Member.id.in_([int(i) for i in picked]))
        ).scalars()
        return [str(name) for name in names], str(top)


def _statement_ms(engine: Engine, member_id: str, explained: bool = False) -> float:
    return _timed_statement(engine, member_id, explained)[0]


def _timed_statement(
    engine: Engine, member_id: str, explained: bool = False, whole_period: bool = False
) -> tuple[float, dict[str, float], int]:
    """Milliseconds of one statement, its steps (seconds) and its explanation lines."""
    with Session(engine) as session, session.begin():
        take_steps(session)
        t0 = time.perf_counter()
        statement = member_statement(
            session, PERIOD, member_id, whole_period=whole_period, explain=explained
        )
        ms = (time.perf_counter() - t0) * 1000
        return ms, take_steps(session), sum(len(line.explanation) for line in statement.lines)


def _percentiles(times: np.ndarray, prefix: str = "") -> dict[str, float]:
    return {
        f"{prefix}p50_ms": round(float(np.percentile(times, 50)), 1),
        f"{prefix}p95_ms": round(float(np.percentile(times, 95)), 1),
        f"{prefix}p99_ms": round(float(np.percentile(times, 99)), 1),
        f"{prefix}max_ms": round(float(times.max()), 1),
    }


def statement_line(engine: Engine, count: int, seed_value: int) -> dict[str, Any]:
    """One member's statement of the finalized period, random members and the top
    earner, each in its own transaction: as the statement page reads it (the stored
    lines and balance), then with every line explained (from the member's downline),
    and the top earner's explanation also from the whole period."""
    sample, top = _members_to_explain(engine, count, seed_value)
    members = [*sample, top]
    _statement_ms(engine, sample[0])  # warm the plan cache and the connection pool
    stored = np.array([_statement_ms(engine, m) for m in members])
    explained = np.array([_statement_ms(engine, m, explained=True) for m in sample])
    top_ms, top_steps, contributions = _timed_statement(engine, top, explained=True)
    explained = np.append(explained, top_ms)
    whole_ms, whole_steps, _ = _timed_statement(engine, top, explained=True, whole_period=True)
    return {
        "benchmark": "statement",
        "statements": int(stored.size),
        **_percentiles(stored),
        "top_earner": top,
        "top_earner_ms": round(float(stored[-1]), 1),
        **_percentiles(explained, "explained_"),
        "top_earner_explained_ms": round(top_ms, 1),
        "top_earner_explained_steps": top_steps,
        "top_earner_explanation_lines": contributions,
        "top_earner_whole_period_ms": round(whole_ms, 1),
        "top_earner_whole_period_steps": whole_steps,
        "load_average": load_average(),
    }

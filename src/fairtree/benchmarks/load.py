"""`fairtree bench load`: read a period's network and orders from the store into arrays,
then (optionally) time the whole close (load, evaluate, write the draft), the finalize
and one member's statement. One JSON line per target, each with its steps (wall seconds)
and ``client_cpu_seconds`` (this process's CPU time: steadier on a shared machine, but
blind to the database server's own work)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fairtree.benchmarks.ledger_seed import seed
from fairtree.periods import Period
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.statements import member_statement
from fairtree.services.step_times import take_steps
from fairtree.store.models import Member, PayoutLine
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts

PERIOD = "2026-03"


def run_load(
    engine: Engine,
    members: int,
    orders: int,
    seed_value: int,
    close: bool = True,
    statements: int = 200,
) -> list[dict[str, Any]]:
    """The JSON lines: load; then close, finalize and statement when ``close``."""
    started = time.perf_counter()
    seed(engine, members, orders, seed_value)
    seed_seconds = time.perf_counter() - started
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
        }
    ]
    if not close:
        return lines
    with Session(engine) as session, session.begin():
        t0, cpu0 = time.perf_counter(), time.process_time()
        result = close_period(session, PERIOD)
        session.flush()
        steps = take_steps(session)
        t1 = time.perf_counter()
    committed = time.perf_counter() - t1
    lines.append(
        {
            "benchmark": "close",
            **common,
            "seconds": round(time.perf_counter() - t0, 2),
            "client_cpu_seconds": round(time.process_time() - cpu0, 2),
            "steps": {**steps, "commit": round(committed, 3)},
            "lines": result.lines,
            "total_paid": result.total_paid,
        }
    )
    with Session(engine) as session, session.begin():
        t0, cpu0 = time.perf_counter(), time.process_time()
        finalize_run(session, PERIOD)
        steps = take_steps(session)
        t1 = time.perf_counter()
    committed = time.perf_counter() - t1
    lines.append(
        {
            "benchmark": "finalize",
            **common,
            "seconds": round(time.perf_counter() - t0, 2),
            "client_cpu_seconds": round(time.process_time() - cpu0, 2),
            "steps": {**steps, "commit": round(committed, 3)},
        }
    )
    if statements:
        lines.append(statement_line(engine, statements, seed_value) | common)
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


def _statement_ms(engine: Engine, member_id: str, whole_period: bool = False) -> float:
    with Session(engine) as session, session.begin():
        t0 = time.perf_counter()
        member_statement(session, PERIOD, member_id, whole_period=whole_period)
        return (time.perf_counter() - t0) * 1000


def statement_line(engine: Engine, count: int, seed_value: int) -> dict[str, Any]:
    """One member's statement of the finalized period: random members and the top
    earner, each in its own transaction; the top earner also from the whole period."""
    sample, top = _members_to_explain(engine, count, seed_value)
    _statement_ms(engine, sample[0])  # warm the plan cache and the connection pool
    times = np.array([_statement_ms(engine, m) for m in [*sample, top]])
    top_ms = float(times[-1])
    with Session(engine) as session:
        contributions = sum(
            len(line.explanation) for line in member_statement(session, PERIOD, top).lines
        )
    return {
        "benchmark": "statement",
        "statements": int(times.size),
        "p50_ms": round(float(np.percentile(times, 50)), 1),
        "p95_ms": round(float(np.percentile(times, 95)), 1),
        "p99_ms": round(float(np.percentile(times, 99)), 1),
        "max_ms": round(float(times.max()), 1),
        "top_earner": top,
        "top_earner_ms": round(top_ms, 1),
        "top_earner_explanation_lines": contributions,
        "top_earner_whole_period_ms": round(_statement_ms(engine, top, whole_period=True), 1),
    }

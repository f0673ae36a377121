"""`fairtree bench load`: read a period's network and orders from the store into arrays,
then (optionally) time the whole close (load, evaluate, write the draft) and finalize."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fairtree.benchmarks.ledger_seed import seed
from fairtree.periods import Period
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts


def run_load(
    engine: Engine, members: int, orders: int, seed_value: int, close: bool = True
) -> dict[str, Any]:
    started = time.perf_counter()
    seed(engine, members, orders, seed_value)
    seed_seconds = time.perf_counter() - started
    timings = []
    for _ in range(3):
        with Session(engine) as session, session.begin():
            t0 = time.perf_counter()
            facts = load_period_facts(session, Period.parse("2026-03"), placement=False)
            timings.append(time.perf_counter() - t0)
    line: dict[str, Any] = {
        "benchmark": "load",
        "backend": engine.dialect.name,
        "members": len(facts.inputs.members),
        "orders": len(facts.inputs.orders),
        "load_seconds": [round(t, 2) for t in timings],
        "seed_seconds": round(seed_seconds, 1),
    }
    if close:
        t0 = time.perf_counter()
        with Session(engine) as session, session.begin():
            result = close_period(session, "2026-03")
        line["close_seconds"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        with Session(engine) as session, session.begin():
            finalize_run(session, "2026-03")
        line["finalize_seconds"] = round(time.perf_counter() - t0, 2)
        line["lines"] = result.lines
        line["total_paid"] = result.total_paid
    return line

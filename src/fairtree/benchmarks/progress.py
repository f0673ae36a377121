"""`fairtree bench progress`: post an order and read every ancestor's rank progress.

Seeds a synthetic network of N members with mid-period volumes, then times K postings
(each its own transaction: insert the order, update the buyer's PV and every ancestor's
group volume, read the progress of the buyer and every ancestor, commit) by random
members. Reports percentiles in milliseconds.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import numpy as np
import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fairtree.benchmarks.ledger_seed import BENCH_PLAN, MONTH, seed
from fairtree.plans.load import parse_plan
from fairtree.services.orders.rank_progress import (
    NewLine,
    line_progress,
    period_figures,
    post_order,
)
from fairtree.store.repositories.orders import running_volumes as volumes


def _mid_period_volumes(engine: Engine, sponsor: np.ndarray, seed_value: int) -> None:
    """Half the members already bought this month: every running figure set from arrays."""
    rng = np.random.default_rng(seed_value + 1)
    pv = np.where(rng.random(sponsor.size) < 0.5, rng.integers(1, 5, sponsor.size) * 2500, 0)
    pv = pv.astype(np.int64)
    plan = parse_plan(yaml.safe_load(BENCH_PLAN), "bench").base
    status = np.zeros(sponsor.size, dtype=np.int8)  # all active
    group, frontline, legs = period_figures(plan, sponsor, status, pv)
    ids = np.arange(1, sponsor.size + 1, dtype=np.int64)
    with Session(engine) as session, session.begin():
        volumes.replace_period(session, "2026-03", ids, pv, group, frontline, legs)


def run_progress(engine: Engine, members: int, postings: int, seed_value: int) -> dict[str, Any]:
    started = time.perf_counter()
    sponsor = seed(engine, members, 0, seed_value)
    _mid_period_volumes(engine, sponsor, seed_value)
    seed_seconds = time.perf_counter() - started
    rng = np.random.default_rng(seed_value + 2)
    buyers = rng.integers(1, members + 1, size=postings)
    timings = np.zeros(postings)
    depths = np.zeros(postings, dtype=np.int64)
    day = MONTH.replace(day=15)
    for k, buyer in enumerate(buyers.tolist()):
        member_id = f"M{buyer:07d}"
        t0 = time.perf_counter()
        with Session(engine) as session, session.begin():
            post_order(session, f"B{k}", member_id, day, [NewLine("BOX", 1)])
            line = line_progress(session, member_id, date(2026, 3, 1))
        timings[k] = time.perf_counter() - t0
        depths[k] = len(line)
    ms = timings * 1000
    return {
        "benchmark": "progress",
        "backend": engine.dialect.name,
        "members": members,
        "postings": postings,
        "line_length_mean": round(float(depths.mean()), 1),
        "line_length_max": int(depths.max()),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "max_ms": round(float(ms.max()), 2),
        "seed_seconds": round(seed_seconds, 1),
    }

"""`fairtree bench genealogy`: genealogy operations timed on an imported synthetic network.

Imports a synthetic company into an empty database (a scratch SQLite file by default),
then times a whole-network tree report, a downline as of a past day, enrollments under
the top and under a leaf, a move and a termination.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from fairtree.genealogy.placement import BinaryRule, PlacementKind
from fairtree.periods import Period
from fairtree.services.datasets import import_dataset
from fairtree.services.network.downline import downline_as_of, downline_report
from fairtree.services.network.genealogy import NewMember, enroll, move, terminate
from fairtree.simulation.dataset_writer import write_dataset
from fairtree.simulation.synth import generate
from fairtree.store.database import make_engine, session_scope
from fairtree.store.migrate import upgrade


def _timed(engine: Engine, work: Callable[..., object]) -> float:
    started = time.perf_counter()
    with session_scope(engine) as session:
        work(session)
    return time.perf_counter() - started


def run_genealogy(
    members: int,
    months: int,
    placement: PlacementKind,
    binary_rule: BinaryRule,
    enrollments: int,
    database_url: str | None,
) -> dict[str, object]:
    """The JSON line: seconds and milliseconds per operation."""
    scratch = Path(tempfile.mkdtemp(prefix="fairtree-bench-genealogy-"))
    try:
        company = generate(
            members, months, 1, placement=placement.value, binary_rule=binary_rule.value
        )
        write_dataset(company, scratch / "company")
        url = database_url or f"sqlite:///{scratch / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        try:
            with session_scope(engine) as session:
                import_dataset(session, scratch / "company")
            root = "M0000001"
            period = Period.parse("2026-01")  # synthetic companies start in January 2026
            for _ in range(months - 1):
                period = period.next()
            last_day = period.end
            tree_seconds = _timed(
                engine, lambda s: downline_report(s, root, period, depth=2, on=None)
            )
            as_of_seconds = _timed(engine, lambda s: downline_as_of(s, root, period.start, 1))
            at_top, at_leaf = [], []
            leaf = f"M{members:07d}"
            for k in range(enrollments):
                top = NewMember(f"BT{k}", "Bench", last_day)
                below = NewMember(f"BL{k}", "Bench", last_day)
                at_top.append(_timed(engine, lambda s, n=top: enroll(s, None, n, root)))
                at_leaf.append(_timed(engine, lambda s, n=below: enroll(s, None, n, leaf)))
            move_seconds = _timed(
                engine,
                lambda s: move(
                    s,
                    None,
                    leaf,
                    sponsor_id=root,
                    reason="bench",
                    effective_on=last_day,
                ),
            )
            terminate_seconds = _timed(
                engine,
                lambda s: terminate(s, None, leaf, reason="bench", effective_on=last_day),
            )
        finally:
            engine.dispose()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {
        "bench": "genealogy",
        "backend": url.split(":", 1)[0],
        "members": len(company.members),
        "placement": placement.value,
        "binary_rule": binary_rule.value if placement is PlacementKind.BINARY else None,
        "tree_report_whole_network_seconds": round(tree_seconds, 3),
        "downline_as_of_seconds": round(as_of_seconds, 3),
        "enroll_under_top_median_ms": round(statistics.median(at_top) * 1000, 1),
        "enroll_under_leaf_median_ms": round(statistics.median(at_leaf) * 1000, 1),
        "move_seconds": round(move_seconds, 3),
        "terminate_seconds": round(terminate_seconds, 3),
    }
    return result

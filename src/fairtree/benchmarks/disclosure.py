"""The income disclosure statement and the compliance monitors timed on a large company.

The database is built once (seeded by ``disclosure_seed`` when it holds no run yet) and
kept, so the figures can be taken again without seeding.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine

from fairtree.benchmarks import disclosure_seed
from fairtree.disclosure import render, render_compliance
from fairtree.services.disclosure.compliance import compliance_report
from fairtree.services.disclosure.statement import build_statement
from fairtree.store.database import session_scope


def run_disclosure(engine: Engine, members: int, repeat: int) -> dict[str, Any]:
    """Seed when empty, then time the statement over twelve finalized months and the
    compliance monitors of one period, ``repeat`` times each; one JSON-ready line."""
    line: dict[str, Any] = {"database": engine.dialect.name}
    if not disclosure_seed.is_seeded(engine):
        started = time.perf_counter()
        line["seeded"] = disclosure_seed.seed(engine, members)
        line["seeding_s"] = round(time.perf_counter() - started, 1)
    statement_s, compliance_s, statement_cpu, compliance_cpu = [], [], [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        with session_scope(engine) as session:
            statement = build_statement(session, *disclosure_seed.STATEMENT_RANGE)
        render.to_json(statement)
        statement_s.append(round(time.perf_counter() - started, 2))
        statement_cpu.append(round(time.process_time() - cpu, 2))
        started, cpu = time.perf_counter(), time.process_time()
        with session_scope(engine) as session:
            report = compliance_report(session, disclosure_seed.COMPLIANCE_PERIOD)
        render_compliance.to_json(report, 2)
        compliance_s.append(round(time.perf_counter() - started, 2))
        compliance_cpu.append(round(time.process_time() - cpu, 2))
    line.update(
        participants=statement.participants,
        months=len(statement.months),
        paid_nothing_share=str(statement.paid_nothing_share),
        statement_json_s=statement_s,
        statement_process_cpu_s=statement_cpu,
        compliance_members=report.company.members,
        compliance_flags=sum(f.count for f in report.member_flags),
        compliance_json_s=compliance_s,
        compliance_process_cpu_s=compliance_cpu,
    )
    return line

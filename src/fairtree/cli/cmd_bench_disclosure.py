"""`fairtree bench disclosure`: the statement and the monitors on a large company.

The database is built once (``--database URL``; built when it holds no run yet) and
kept, so the figures can be taken again without seeding. Prints one JSON line.
"""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer
from rich.console import Console

from fairtree.benchmarks import disclosure_seed
from fairtree.cli.database import open_engine
from fairtree.cli.main import bench_app
from fairtree.disclosure import render, render_compliance
from fairtree.services.disclosure.compliance import compliance_report
from fairtree.services.disclosure.statement import build_statement
from fairtree.store.database import session_scope
from fairtree.store.migrate import upgrade

console = Console(stderr=True)


@bench_app.command("disclosure")
def disclosure(
    database: Annotated[str, typer.Option(help="Database URL; seeded when it has no run.")],
    members: Annotated[int, typer.Option(help="Members when seeding.")] = 1_000_000,
    repeat: Annotated[int, typer.Option(help="Timed repetitions.")] = 2,
) -> None:
    """Time the income disclosure statement over twelve finalized months and the
    compliance monitors of one period."""
    upgrade(database)
    with open_engine(database) as engine:
        line: dict[str, object] = {"database": engine.dialect.name}
        if not disclosure_seed.is_seeded(engine):
            started = time.perf_counter()
            with console.status(f"seeding {members:,} members"):
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
    typer.echo(json.dumps(line))

"""`fairtree bench progress` and `fairtree bench load`: ledger benchmarks, one JSON line each.

Each builds a fresh database: a SQLite file in a temporary folder, or with
``--postgres URL`` a new PostgreSQL database next to URL's (dropped afterwards).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine

from fairtree.cli.main import bench_app
from fairtree.store.scratch import scratch_database

console = Console(stderr=True)
BENCH_DATABASE = f"fairtree_bench_ledger_{os.getpid()}"  # two runs never share one


def _run(
    label: str,
    postgres: str | None,
    work: Callable[[Engine], dict[str, Any] | list[dict[str, Any]]],
) -> None:
    """Run ``work`` on a fresh database and print its JSON line (or lines)."""
    with console.status(label), scratch_database(postgres, BENCH_DATABASE) as engine:
        result = work(engine)
    for line in result if isinstance(result, list) else [result]:
        typer.echo(json.dumps(line))


@bench_app.command("progress")
def progress(
    members: Annotated[int, typer.Option(min=2, help="Members in the network.")] = 1_000_000,
    postings: Annotated[int, typer.Option(min=1, help="Orders posted and timed.")] = 500,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    postgres: Annotated[str | None, typer.Option(help="PostgreSQL URL (default: SQLite).")] = None,
) -> None:
    """Post orders and read every ancestor's rank progress; p50/p95/p99 in ms."""
    from fairtree.benchmarks.progress import run_progress

    _run(
        f"seeding {members:,} members, timing {postings} postings",
        postgres,
        lambda engine: run_progress(engine, members, postings, seed),
    )


@bench_app.command("load")
def load(
    members: Annotated[int, typer.Option(min=2, help="Members in the network.")] = 1_000_000,
    orders: Annotated[int, typer.Option(min=1, help="Orders in the month.")] = 5_000_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    postgres: Annotated[str | None, typer.Option(help="PostgreSQL URL (default: SQLite).")] = None,
    close: Annotated[bool, typer.Option(help="Also time close, finalize and statements.")] = True,
    statements: Annotated[
        int, typer.Option(min=0, help="Random members whose statement is timed.")
    ] = 200,
) -> None:
    """Load a month into engine arrays, close, finalize, explain statements: one JSON
    line per target (load, close, finalize, statement), each with its steps."""
    from fairtree.benchmarks.load import run_load

    _run(
        f"seeding {members:,} members and {orders:,} orders",
        postgres,
        lambda engine: run_load(engine, members, orders, seed, close, statements),
    )

"""`fairtree bench progress` and `fairtree bench load`: ledger benchmarks, one JSON line each.

Each builds a fresh database: a SQLite file in a temporary folder, or with
``--postgres URL`` a new PostgreSQL database next to URL's (dropped afterwards).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from fairtree.cli.database import open_engine
from fairtree.cli.main import bench_app
from fairtree.store.migrate import upgrade

console = Console(stderr=True)
BENCH_DATABASE = f"fairtree_bench_ledger_{os.getpid()}"  # two runs never share one


@contextmanager
def fresh_database(postgres: str | None) -> Iterator[Engine]:
    if postgres is None:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            upgrade(url)
            with open_engine(url) as engine:
                yield engine
        return
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{BENCH_DATABASE}"'))
    url = make_url(postgres).set(database=BENCH_DATABASE).render_as_string(hide_password=False)
    upgrade(url)
    try:
        with open_engine(url) as engine:
            yield engine
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'))
        admin.dispose()


def _run(
    label: str,
    postgres: str | None,
    work: Callable[[Engine], dict[str, Any] | list[dict[str, Any]]],
) -> None:
    """Run ``work`` on a fresh database and print its JSON line (or lines)."""
    with console.status(label), fresh_database(postgres) as engine:
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

"""`fairtree bench ...`: thin commands over fairtree.benchmarks, one JSON line each.

The benchmarks themselves live in the installed package (``fairtree.benchmarks``, see
docs/decisions/0008-benchmarks-in-the-package.md); their figures and the commands that
produced them are written up in bench/.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine

from fairtree.cli.database import open_engine
from fairtree.cli.main import bench_app
from fairtree.cli.rich_progress import RichProgress
from fairtree.genealogy.placement import BinaryRule, PlacementKind
from fairtree.store.migrate import upgrade
from fairtree.store.scratch import scratch_database

console = Console(stderr=True)
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = f"fairtree_bench_ledger_{os.getpid()}"  # two runs never share one
# The synthetic month `bench close` and `bench sales-kinds` evaluate (cached in workdir).
NetworkMembers = Annotated[int, typer.Option(min=1, help="Members in the synthetic network.")]
NetworkSeed = Annotated[int, typer.Option(help="Random seed of the network and orders.")]
InputCache = Annotated[Path, typer.Option(help="Where generated inputs are cached.")]


def _in_scratch_database(
    label: str,
    postgres: str | None,
    work: Callable[[Engine], dict[str, Any] | list[dict[str, Any]]],
    revision: str = "head",
) -> None:
    """Run ``work`` on a fresh database and print its JSON line (or lines)."""
    scratch = scratch_database(postgres, BENCH_DATABASE, revision)
    with console.status(label), scratch as engine:
        result = work(engine)
    for line in result if isinstance(result, list) else [result]:
        typer.echo(json.dumps(line))


@bench_app.command("close")
def close(
    members: NetworkMembers = 1_000_000,
    seed: NetworkSeed = 1,
    workdir: InputCache = Path("bench/out"),
    compare_postgres: Annotated[
        bool,
        typer.Option("--compare-postgres", help="Also compute group volume with a recursive CTE."),
    ] = False,
) -> None:
    """Evaluate a plan (unilevel 7 + compression, 8 ranks, matching, binary) and print JSON."""
    from fairtree.benchmarks.close import compare_with_postgres, run_close

    with console.status(f"generating and evaluating {members:,} members"):
        line, result, inputs, _tree = run_close(members, seed, workdir)
    if compare_postgres:
        url = os.environ.get("FAIRTREE_BENCH_PG_URL", DEFAULT_PG)
        with console.status("PostgreSQL recursive CTE"):
            line["postgres"] = compare_with_postgres(url, inputs, result, line["seconds"])
        if not line["postgres"]["same_per_member"]:
            typer.echo(json.dumps(line))
            raise typer.Exit(1)
    typer.echo(json.dumps(line))


@bench_app.command("sales-kinds")
def sales_kinds(
    members: NetworkMembers = 1_000_000,
    seed: NetworkSeed = 1,
    workdir: InputCache = Path("bench/out"),
) -> None:
    """Time the stairstep (breakaway), party and retail-profit kinds; print JSON."""
    from fairtree.benchmarks.sales_kinds import run_sales_kinds

    with console.status(f"evaluating sales kinds over {members:,} members"):
        line = run_sales_kinds(members, seed, workdir)
    typer.echo(json.dumps(line))


@bench_app.command("genealogy")
def bench_genealogy(
    members: Annotated[int, typer.Option(min=10, help="Members in the network.")] = 100_000,
    months: Annotated[int, typer.Option(min=1, help="Months simulated.")] = 12,
    placement: Annotated[PlacementKind, typer.Option(help="Placement tree.")] = (
        PlacementKind.MATRIX
    ),
    binary_rule: Annotated[BinaryRule, typer.Option(help="Binary auto-placement rule.")] = (
        BinaryRule.WEAKER_LEG
    ),
    enrollments: Annotated[int, typer.Option(min=1, help="Enrollments timed.")] = 20,
    database_url: Annotated[
        str | None, typer.Option(help="An empty database to use (default: scratch SQLite).")
    ] = None,
) -> None:
    """Import a synthetic network, then time tree reads, enrollments, a move, a termination."""
    from fairtree.benchmarks.genealogy import run_genealogy

    typer.echo(
        json.dumps(
            run_genealogy(members, months, placement, binary_rule, enrollments, database_url)
        )
    )


@bench_app.command("progress")
def progress(
    members: Annotated[int, typer.Option(min=2, help="Members in the network.")] = 1_000_000,
    postings: Annotated[int, typer.Option(min=1, help="Orders posted and timed.")] = 500,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    postgres: Annotated[str | None, typer.Option(help="PostgreSQL URL (default: SQLite).")] = None,
) -> None:
    """Post orders and read every ancestor's rank progress; p50/p95/p99 in ms."""
    from fairtree.benchmarks.progress import run_progress

    _in_scratch_database(
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
    revision: Annotated[
        str,
        typer.Option(help="Schema revision of the scratch database (compare an earlier one)."),
    ] = "head",
) -> None:
    """Load a month into engine arrays, close, finalize, explain statements: one JSON
    line per stage of the close and the finalize as it ends, then one per target
    (load, close, finalize, statement) with its steps, CPU seconds and load average."""
    from fairtree.benchmarks.load import run_load

    _in_scratch_database(
        f"seeding {members:,} members and {orders:,} orders",
        postgres,
        lambda engine: _emitting(
            lambda emit: run_load(engine, members, orders, seed, close, statements, emit)
        ),
        revision,
    )


def _emitting(work: Callable[[Callable[[dict[str, Any]], None]], object]) -> list[dict[str, Any]]:
    """Run ``work``, printing each JSON line it emits at once; nothing is left to print."""
    work(lambda line: typer.echo(json.dumps(line)))
    return []


@bench_app.command("api")
def bench_api(
    postgres: Annotated[str, typer.Option(help="PostgreSQL URL on 127.0.0.1 (loopback only).")],
    members: Annotated[
        int, typer.Option(min=10, help="Members of the synthetic company.")
    ] = 20_000,
    users: Annotated[str, typer.Option(help="Concurrent users per level, comma separated.")] = (
        "25,50,100,200"
    ),
    seconds: Annotated[float, typer.Option(min=1, help="Length of each level.")] = 30.0,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes.")] = 4,
    keep: Annotated[bool, typer.Option(help="Keep the database afterwards.")] = False,
    think: Annotated[
        str,
        typer.Option(
            help="realistic: 1-5 s between clicks, one sign-in per visit; aggressive: "
            "50-250 ms between clicks and sign-ins again (a stress test)."
        ),
    ] = "realistic",
) -> None:
    """The API under load (sign-ins, dashboards, statements, tree expansions, searches,
    order postings): one JSON line per level as it ends, then the orders check."""
    from fairtree.benchmarks.api_load import run_api_load

    try:
        levels = [int(part) for part in users.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter("--users takes numbers separated by commas") from None
    if not levels or min(levels) < 1:
        raise typer.BadParameter("--users takes numbers separated by commas, each 1 or more")
    try:
        run_api_load(
            postgres,
            members,
            levels,
            seconds,
            workers,
            lambda line: typer.echo(json.dumps(line)),
            keep,
            think,
        )
    except ValueError as refused:
        raise typer.BadParameter(str(refused)) from None


@bench_app.command("keys")
def bench_keys(
    rows: Annotated[int, typer.Option(min=2, help="Rank rows copied per variant.")] = 1_000_000,
    postgres: Annotated[str, typer.Option(help="PostgreSQL URL.")] = DEFAULT_PG,
) -> None:
    """What checking references costs a COPY of rank rows: foreign keys (a lookup per
    row), a statement trigger (one anti-join), none. One JSON line."""
    from fairtree.benchmarks.key_checks import run_key_checks

    typer.echo(json.dumps(run_key_checks(postgres, rows)))


@bench_app.command("import")
def bench_import(
    members: Annotated[
        int, typer.Option("--members", min=1, help="Members to generate.")
    ] = 100_000,
    orders_per_member: Annotated[
        int, typer.Option("--orders-per-member", min=0, help="Orders per member.")
    ] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the synthetic dataset.")] = 1,
    dataset: Annotated[
        Path | None,
        typer.Option("--dataset", help="Time this dataset folder instead of a generated one."),
    ] = None,
) -> None:
    """Generate a dataset, import it into a fresh SQLite file, export it; print JSON."""
    from fairtree.benchmarks.import_export import run as run_import

    typer.echo(json.dumps(run_import(members, orders_per_member, seed, dataset)))


@bench_app.command("synth")
def bench_synth(
    members: Annotated[int, typer.Option(min=1, help="Members who join.")] = 1_000_000,
    months: Annotated[int, typer.Option(min=1, help="Months simulated.")] = 12,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    placement: Annotated[PlacementKind, typer.Option(help="Placement tree.")] = (
        PlacementKind.BINARY
    ),
    binary_rule: Annotated[BinaryRule, typer.Option(help="Binary auto-placement rule.")] = (
        BinaryRule.WEAKER_LEG
    ),
) -> None:
    """Time generating and writing a synthetic company (written to a temporary folder)."""
    from fairtree.benchmarks.synth import run_synth

    typer.echo(json.dumps(run_synth(members, months, seed, placement, binary_rule)))


@bench_app.command("disclosure")
def disclosure(
    database: Annotated[str, typer.Option(help="Database URL; seeded when it has no run.")],
    members: Annotated[int, typer.Option(help="Members when seeding.")] = 1_000_000,
    repeat: Annotated[int, typer.Option(help="Timed repetitions.")] = 2,
) -> None:
    """Time the income disclosure statement over twelve finalized months and the
    compliance monitors of one period."""
    from fairtree.benchmarks.disclosure import run_disclosure

    upgrade(database)
    label = f"disclosure figures ({members:,} members when seeding)"
    with console.status(label), open_engine(database) as engine:
        line = run_disclosure(engine, members, repeat)
    typer.echo(json.dumps(line))


@bench_app.command("simulate")
def bench_simulate_command(
    months: Annotated[int, typer.Option(min=1, help="Months simulated.")] = 36,
    seed: Annotated[int, typer.Option(min=0, help="Random seed.")] = 1,
) -> None:
    """Simulator: 1,000,000 members (scenarios/bench-1m.yaml) under the bench plan."""
    from fairtree.benchmarks.simulate import bench_simulate

    typer.echo(json.dumps(bench_simulate(months, seed)))


@bench_app.command("sweep")
def bench_sweep_command(
    runs: Annotated[int, typer.Option(min=1, help="Seeds to run.")] = 100,
    months: Annotated[int, typer.Option(min=1, help="Months per run.")] = 24,
    workers: Annotated[int, typer.Option(min=1, help="Local cluster workers.")] = 2,
) -> None:
    """Sweep: RUNS companies of 100,000 members (scenarios/bench-100k.yaml) on a local cluster."""
    from fairtree.benchmarks.simulate import bench_sweep

    typer.echo(json.dumps(bench_sweep(runs=runs, months=months, workers=workers)))


@bench_app.command("member-pages")
def member_pages(
    members: Annotated[int, typer.Option(min=20, help="Members in the network.")] = 20_000,
    runs: Annotated[int, typer.Option(min=2, help="Timed calls per page.")] = 40,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    postgres: Annotated[
        str | None,
        typer.Option(help="PostgreSQL server URL for a scratch database (default: SQLite)."),
    ] = None,
    binary: Annotated[
        bool,
        typer.Option(
            help="Also place the members in a binary tree, add a binary bonus and time "
            "placement-tree levels (with each member's leg volumes and carry)."
        ),
    ] = False,
) -> None:
    """Time the member back office's reads (dashboard, statement page, tree node, downline
    search) for a member with a large downline; one JSON line per page."""
    from fairtree.benchmarks.member_pages import run_member_pages

    _in_scratch_database(
        f"seeding {members:,} members, closing a month, timing the pages",
        postgres,
        lambda engine: run_member_pages(engine, members, runs, seed, binary),
    )


@bench_app.command("console")
def console_pages(
    members: Annotated[int, typer.Option(min=20, help="Members when seeding.")] = 20_000,
    runs: Annotated[int, typer.Option(min=2, help="Timed calls per page.")] = 20,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    database: Annotated[
        str | None,
        typer.Option(help="Database URL kept between runs (seeded when it has no run)."),
    ] = None,
    postgres: Annotated[
        str | None,
        typer.Option(help="PostgreSQL server URL for a scratch database (default: SQLite)."),
    ] = None,
) -> None:
    """Time the operator console's member search and review page (rendered, signed in as
    an admin) and a what-if over a finalized month with its progress; one JSON line each."""
    from fairtree.benchmarks.console import run_console

    def work(engine: Engine) -> list[dict[str, Any]]:
        console.print(f"console figures ({members:,} members when seeding)")
        with RichProgress(console) as progress:
            return run_console(engine, members, runs, seed, progress)

    if database:
        upgrade(database)
        with open_engine(database) as engine:
            lines = work(engine)
    else:
        with scratch_database(postgres, BENCH_DATABASE) as engine:
            lines = work(engine)
    for line in lines:
        typer.echo(json.dumps(line))

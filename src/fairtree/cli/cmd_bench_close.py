"""`fairtree bench close`: one month of a synthetic network through the engine."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fairtree.benchmarks.close import compare_with_postgres, run_close
from fairtree.cli.main import bench_app

console = Console(stderr=True)
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


@bench_app.command("close")
def close(
    members: Annotated[
        int, typer.Option(min=1, help="Members in the synthetic network.")
    ] = 1_000_000,
    seed: Annotated[int, typer.Option(help="Random seed of the network and orders.")] = 1,
    workdir: Annotated[Path, typer.Option(help="Where generated inputs are cached.")] = Path(
        "bench/out"
    ),
    compare_postgres: Annotated[
        bool,
        typer.Option("--compare-postgres", help="Also compute group volume with a recursive CTE."),
    ] = False,
) -> None:
    """Evaluate a plan (unilevel 7 + compression, 8 ranks, matching, binary) and print JSON."""
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

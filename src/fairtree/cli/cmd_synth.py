"""``fairtree synth``: generate a synthetic company and write it as a dataset folder."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from fairtree.cli.main import app, bench_app
from fairtree.genealogy.placement import BinaryRule, PlacementKind
from fairtree.simulation.dataset_writer import DATASET_FILES, write_dataset
from fairtree.simulation.synth import GENERATE_STEPS, generate


@app.command()
def synth(
    outdir: Annotated[Path, typer.Argument(help="Folder to write (must be new or empty).")],
    members: Annotated[int, typer.Option(min=1, help="Members who join.")] = 1000,
    months: Annotated[int, typer.Option(min=1, help="Months of joining, buying, churn.")] = 12,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same bytes.")] = 1,
    placement: Annotated[PlacementKind, typer.Option(help="Placement tree.")] = (
        PlacementKind.BINARY
    ),
    binary_rule: Annotated[BinaryRule, typer.Option(help="Binary auto-placement rule.")] = (
        BinaryRule.WEAKER_LEG
    ),
    matrix_width: Annotated[int, typer.Option(min=2, max=100, help="Matrix width.")] = 3,
) -> None:
    """Generate a synthetic company (network, churn, customers, orders) as a dataset."""
    console = Console()
    if outdir.exists() and any(outdir.iterdir()):
        console.print(f"[red]{outdir} is not empty; choose a new folder.[/red]")
        raise typer.Exit(code=2)
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("generating", total=GENERATE_STEPS + len(DATASET_FILES))

        def advance(what: str) -> None:
            progress.update(task, advance=1, description=what)

        company = generate(
            members,
            months,
            seed,
            placement=placement.value,
            matrix_width=matrix_width,
            binary_rule=binary_rule.value,
            on_step=advance,
        )
        write_dataset(company, outdir, on_file=advance)
    console.print(
        f"Wrote [bold]{outdir}[/bold]: {len(company.members):,} members, "
        f"{len(company.customers):,} customers, {len(company.orders):,} orders, "
        f"{len(company.order_lines):,} lines, {len(company.parties):,} parties "
        f"in {time.perf_counter() - started:.1f} s"
    )


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
    generate(100, 1, seed, placement=placement.value, binary_rule=binary_rule.value)  # compile
    started = time.perf_counter()
    company = generate(
        members, months, seed, placement=placement.value, binary_rule=binary_rule.value
    )
    generated = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="fairtree-bench-synth-"))
    try:
        write_dataset(company, scratch / "company")
        written = time.perf_counter()
        size = sum(f.stat().st_size for f in (scratch / "company").iterdir())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {
        "bench": "synth",
        "members": len(company.members),
        "months": months,
        "placement": placement.value,
        "binary_rule": binary_rule.value if placement is PlacementKind.BINARY else None,
        "customers": len(company.customers),
        "orders": len(company.orders),
        "order_lines": len(company.order_lines),
        "generate_seconds": round(generated - started, 2),
        "write_seconds": round(written - generated, 2),
        "bytes": size,
    }
    typer.echo(json.dumps(result))

"""``fairtree synth``: generate a synthetic company and write it as a dataset folder."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from fairtree.cli.main import app
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

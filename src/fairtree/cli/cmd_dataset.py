"""``fairtree init``, ``import``, ``export`` and ``bench import``."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.engine import make_url

from fairtree.cli.database import command_session
from fairtree.cli.main import app, bench_app
from fairtree.cli.output import error_console, print_problems
from fairtree.cli.rich_progress import RichProgress
from fairtree.errors import ConflictError, NotFoundError, ValidationError
from fairtree.services.datasets import DatasetCounts, export_dataset, import_dataset
from fairtree.store.database import database_url
from fairtree.store.migrate import current_revision, upgrade

console = Console()


def _shown_url() -> str:
    return make_url(database_url()).render_as_string(hide_password=True)


def _print_counts(verb: str, counts: DatasetCounts) -> None:
    console.print(
        f"{verb} {counts.members} members, {counts.customers} customers, "
        f"{counts.products} products, {counts.parties} parties, {counts.orders} orders, "
        f"{counts.order_lines} order lines."
    )


@app.command()
def init() -> None:
    """Create the database, or upgrade it to the newest schema."""
    upgrade()
    console.print(f"Database {_shown_url()} is at revision {current_revision()}.")


@app.command("import")
def import_command(
    folder: Annotated[Path, typer.Argument(help="Dataset folder (see docs/dataset.md).")],
) -> None:
    """Check a dataset folder completely, then load it into an empty database."""
    upgrade()
    try:
        with RichProgress(console) as progress, command_session() as session:
            counts = import_dataset(session, folder, progress)
    except ValidationError as error:
        print_problems(error)
        raise typer.Exit(1) from None
    _print_counts("Imported", counts)


@app.command("export")
def export_command(
    folder: Annotated[Path, typer.Argument(help="New or empty folder to write the dataset into.")],
) -> None:
    """Write the company's dataset folder in canonical form."""
    try:
        with RichProgress(console) as progress, command_session() as session:
            counts = export_dataset(session, folder, progress)
    except (NotFoundError, ConflictError) as error:
        error_console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    _print_counts("Exported", counts)


def _load_bench_module() -> ModuleType:
    """bench/ sits beside src/ in a checkout; it is not part of the installed package."""
    path = Path(__file__).resolve().parents[3] / "bench" / "bench_import.py"
    if not path.is_file():
        raise typer.BadParameter(f"benchmarks need a source checkout ({path} not found)")
    spec = importlib.util.spec_from_file_location("fairtree_bench_import", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    result = _load_bench_module().run(members, orders_per_member, seed, dataset)
    typer.echo(json.dumps(result))

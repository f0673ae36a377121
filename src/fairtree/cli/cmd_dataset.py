"""``fairtree init``, ``import`` and ``export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.engine import make_url

from fairtree.cli.database import command_session
from fairtree.cli.main import app
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

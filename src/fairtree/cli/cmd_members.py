"""``fairtree members list`` and ``fairtree members search``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from fairtree.cli.database import command_session
from fairtree.cli.main import app
from fairtree.cli.output import error_console
from fairtree.errors import ValidationError
from fairtree.services.network.members import MemberSummary, list_members, search_members

members_app = typer.Typer(help="Members of the network.", no_args_is_help=True)
app.add_typer(members_app, name="members")
console = Console()


def _show(rows: list[MemberSummary], title: str) -> None:
    table = Table(title=title)
    for column in ("member", "display name", "status", "joined", "sponsor", "country"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row.member_id,
            row.display_name,
            row.status,
            row.joined_on.isoformat(),
            row.sponsor_member_id or "",
            row.country,
        )
    console.print(table)


def _run(fetch: Callable[[Session], list[MemberSummary]], title: str) -> None:
    try:
        with command_session() as session:
            rows = fetch(session)
    except ValidationError as error:
        error_console.print(f"[red]{error.problems[0].reason}[/red]")
        raise typer.Exit(2) from None
    _show(rows, title.format(count=len(rows)))


@members_app.command("list")
def list_command(
    status: Annotated[
        str | None, typer.Option("--status", help="Only members with this status.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.")] = 50,
) -> None:
    """Members in the order they joined."""
    _run(lambda session: list_members(session, status, limit), "{count} members")


@members_app.command("search")
def search_command(
    text: Annotated[str, typer.Argument(help="Part of a member id or display name.")],
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.")] = 50,
) -> None:
    """Members whose id or display name contains TEXT (case-insensitive)."""
    if not text.strip():
        error_console.print("[red]search text is empty[/red]")
        raise typer.Exit(2)
    # The local operator's search: no sign-in, so no access-log rows (see search_members).
    _run(
        lambda session: search_members(session, None, text.strip(), limit=limit),
        "{count} members found",
    )

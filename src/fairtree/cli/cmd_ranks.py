"""``fairtree ranks``: rank history, live rank progress, rebuild of running volumes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fairtree.cli.database import command_session
from fairtree.cli.dates import day_or_today
from fairtree.cli.main import app
from fairtree.money import format_points
from fairtree.services.network.ranks import rank_history
from fairtree.services.orders.rank_progress import line_progress, rebuild_period_volumes

ranks_app = typer.Typer(help="Ranks: history per period and live progress.")
app.add_typer(ranks_app, name="ranks")


@ranks_app.command("history")
def history(
    member: Annotated[str, typer.Argument(help="Member id.")],
    drafts: Annotated[bool, typer.Option(help="Include draft runs.")] = False,
) -> None:
    """Paid-as and highest rank of a member in every closed period."""
    with command_session() as session:
        entries = rank_history(session, member, include_drafts=drafts)
    table = Table("period", "paid as", "highest", "PV", "group volume")
    for entry in entries:
        table.add_row(
            entry.period_key,
            entry.paid_as or "-",
            entry.highest or "-",
            format_points(entry.pv),
            format_points(entry.group_volume),
        )
    Console().print(table)


@ranks_app.command("progress")
def progress(
    member: Annotated[str, typer.Argument(help="Member id.")],
    on: Annotated[str | None, typer.Option(help="A day in the period (default: today).")] = None,
) -> None:
    """What the member and every upline member still need for their next rank."""
    day = day_or_today(on, "--on")
    with command_session() as session:
        line = line_progress(session, member, day)
    table = Table("member", "up", "PV", "group volume", "rank now", "next", "still needed")
    for entry in line:
        needs = ", ".join(
            f"{n.condition} {format_points(n.missing)}"
            if n.missing is not None and n.condition not in ("active_personal",)
            else (f"{n.condition} {n.missing}" if n.missing is not None else f"{n.condition} ?")
            for n in entry.progress.needs
            if not n.met
        )
        table.add_row(
            entry.member_id,
            str(entry.depth),
            format_points(entry.pv),
            format_points(entry.group_volume),
            entry.progress.rank or "-",
            entry.progress.next_rank or "-",
            needs or "-",
        )
    Console().print(table)


@ranks_app.command("rebuild")
def rebuild(period: Annotated[str, typer.Argument(help="Period, e.g. 2026-03.")]) -> None:
    """Recompute a period's running volumes from its orders (after an import)."""
    with command_session() as session:
        count = rebuild_period_volumes(session, period)
    Console().print(f"{period}: running volumes of {count:,} members rebuilt")

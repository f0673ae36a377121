"""`fairtree tree|enroll|move|terminate`: the genealogy from the command line.

Thin commands over fairtree.services: each opens one transaction on the configured
database (FAIRTREE_DATABASE_URL or the SQLite default), commits on success and prints
the refusal otherwise. Administrative commands act as the local operator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree
from sqlalchemy.orm import Session

from fairtree.cli.database import command_session
from fairtree.cli.dates import day_or_today, parse_day
from fairtree.cli.main import app
from fairtree.errors import FairtreeError
from fairtree.money import format_points
from fairtree.periods import Period
from fairtree.services.network.downline import DownlineNode, downline_report
from fairtree.services.network.genealogy import DownlineRule, NewMember, enroll, move, terminate

console = Console()
T = TypeVar("T")

STATUS_STYLE = {"active": "green", "inactive": "yellow", "terminated": "red", "closed": "red"}


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except FairtreeError as error:
        console.print(f"[red]refused:[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(1) from None


def _in_transaction(work: Callable[[Session], T]) -> T:
    with _refusals(), command_session() as session:
        return work(session)


def _label(node: DownlineNode) -> str:
    style = STATUS_STYLE.get(node.status, "white")
    return (
        f"[bold]{escape(node.display_name)}[/bold] ({escape(node.member_id)})"
        f" [{style}]{node.status}[/{style}]"
        f"  PV {format_points(node.personal_volume)}  GV {format_points(node.group_volume)}"
    )


def _grow(branch: Tree, node: DownlineNode) -> None:
    for child in node.children:
        _grow(branch.add(_label(child), highlight=False), child)


@app.command("tree")
def tree(
    member: Annotated[str, typer.Argument(help="Member id at the top of the tree shown.")],
    depth: Annotated[int | None, typer.Option(min=0, help="Levels shown below the member.")] = 3,
    as_of: Annotated[str | None, typer.Option(help="Show the tree as it stood on YYYY-MM-DD.")] = (
        None
    ),
    period: Annotated[
        str | None, typer.Option(help="Volume period (2026-03, 2026-W09, a..b); default: month.")
    ] = None,
) -> None:
    """Show a member's sponsor downline with status, personal and group volume."""
    on = parse_day(as_of, "--as-of")
    try:
        chosen = Period.parse(period) if period else Period.parse(f"{on or date.today():%Y-%m}")
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--period") from None
    report = _in_transaction(
        lambda session: downline_report(session, member, chosen, depth=depth, on=on)
    )
    when = f" as of {on}" if on else ""
    top = Tree(_label(report), highlight=False)
    _grow(top, report)
    console.print(f"Downline of {member}{when}, volumes for {chosen.key}", highlight=False)
    console.print(top)


@app.command("enroll")
def enroll_command(
    member: Annotated[str, typer.Argument(help="Id of the new member.")],
    sponsor: Annotated[str, typer.Option(help="Id of the enrolling sponsor.")],
    name: Annotated[str, typer.Option(help="Display name the member chose.")],
    joined: Annotated[str | None, typer.Option(help="Join date YYYY-MM-DD (default today).")] = (
        None
    ),
    placement_parent: Annotated[
        str | None, typer.Option(help="Placement parent chosen by the sponsor (own downline).")
    ] = None,
    position: Annotated[
        str | None, typer.Option(help="Slot under the parent: L/R (binary) or 1..W (matrix).")
    ] = None,
    country: Annotated[str | None, typer.Option(help="Country (default: company's).")] = None,
    currency: Annotated[str | None, typer.Option(help="Currency (default: company's).")] = None,
) -> None:
    """Enroll a new member under a sponsor and place them in the placement tree."""
    joined_on = day_or_today(joined, "--joined")
    new = NewMember(member, name, joined_on, country, currency)
    result = _in_transaction(
        lambda session: enroll(
            session,
            None,
            new,
            sponsor,
            placement_parent_id=placement_parent,
            placement_position=position,
        )
    )
    slot = (
        f", placed under {result.placement_parent_id} at {result.placement_position}"
        if result.placement_parent_id
        else ""
    )
    console.print(f"Enrolled {result.member_id} under {result.sponsor_id}{slot}", highlight=False)


@app.command("move")
def move_command(
    member: Annotated[str, typer.Argument(help="Id of the member to move.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
    sponsor: Annotated[str | None, typer.Option(help="New sponsor.")] = None,
    placement_parent: Annotated[str | None, typer.Option(help="New placement parent.")] = None,
    position: Annotated[str | None, typer.Option(help="Slot under the new parent.")] = None,
    downline: Annotated[
        DownlineRule, typer.Option(help="follows: recruits move along; stays: they roll up.")
    ] = DownlineRule.FOLLOWS,
    effective: Annotated[str | None, typer.Option(help="Effective date (default today).")] = None,
) -> None:
    """Move a member (and its downline) to a new sponsor and/or placement parent."""
    on = day_or_today(effective, "--effective")
    result = _in_transaction(
        lambda session: move(
            session,
            None,
            member,
            reason=reason,
            effective_on=on,
            sponsor_id=sponsor,
            placement_parent_id=placement_parent,
            placement_position=position,
            downline=downline,
        )
    )
    changes = [
        f"{label} {result.before[key]} -> {result.after[key]}"
        for key, label in (("sponsor_id", "sponsor"), ("placement_parent_id", "placement"))
        if result.before[key] != result.after[key]
    ]
    if result.before["placement_position"] != result.after["placement_position"]:
        changes.append(f"slot {result.after['placement_position']}")
    rolled = f"; rolled up: {', '.join(result.rolled_up)}" if result.rolled_up else ""
    summary = ", ".join(changes) or "no change of slot"
    console.print(f"Moved {member} on {on}: {summary}{rolled}", highlight=False)


@app.command("terminate")
def terminate_command(
    member: Annotated[str, typer.Argument(help="Id of the member to terminate.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
    effective: Annotated[str | None, typer.Option(help="Effective date (default today).")] = None,
) -> None:
    """Terminate a member; their recruits roll up to their sponsor."""
    on = day_or_today(effective, "--effective")
    result = _in_transaction(
        lambda session: terminate(session, None, member, reason=reason, effective_on=on)
    )
    rolled = ", ".join(result.rolled_up) or "nobody"
    console.print(
        f"Terminated {member} on {on}; rolled up to {result.rolled_up_to}: {rolled}",
        highlight=False,
    )

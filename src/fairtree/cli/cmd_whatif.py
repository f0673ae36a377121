"""``fairtree plan whatif PERIOD DRAFT.yaml``: the console's what-if on the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fairtree.cli.main import plan_app
from fairtree.cli.output import print_problems
from fairtree.errors import FairtreeError, ValidationError
from fairtree.money import format_amount


@plan_app.command("whatif")
def whatif(
    period: Annotated[str, typer.Argument(help="A finalized period, e.g. 2026-05.")],
    draft: Annotated[Path, typer.Argument(help="The draft plan YAML file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Compare a draft plan with the version in force over a finalized period in the
    database: totals by bonus, payout share of sales, gainers and losers, by rank and
    by joining cohort."""
    from fairtree.cli.database import command_session
    from fairtree.services.commissions.whatif import what_if

    console = Console(soft_wrap=True)
    try:
        with command_session() as session:
            summary = what_if(session, period, draft.read_text(encoding="utf-8"), draft.name)
    except ValidationError as error:
        print_problems(error)
        raise typer.Exit(1) from None
    except (FairtreeError, OSError) as error:
        Console(stderr=True).print(f"[red]refused[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(summary, indent=2, sort_keys=True))
        return
    currency = summary["currency"]

    def money(minor: int) -> str:
        return format_amount(minor, currency)

    table = Table(title=f"{summary['period']}: {summary['plan_in_force']} -> {summary['draft']}")
    for column in ("bonus", "before", "after", "change", "breakage before", "breakage after"):
        table.add_column(column, justify="left" if column == "bonus" else "right")
    for b in summary["bonuses"]:
        table.add_row(
            b["bonus_id"],
            money(b["before"]),
            money(b["after"]),
            money(b["delta"]),
            money(b["breakage_before"]),
            money(b["breakage_after"]),
        )
    table.add_row(
        "total",
        money(summary["total_before"]),
        money(summary["total_after"]),
        money(summary["total_after"] - summary["total_before"]),
        money(summary["breakage_before"]),
        money(summary["breakage_after"]),
    )
    console.print(table)
    console.print(
        f"payout share of sales {summary['share_before']} -> {summary['share_after']}; "
        f"{summary['gainers']} gain, {summary['losers']} lose, {summary['unchanged']} unchanged",
        highlight=False,
    )
    for title, key in (("By paid-as rank", "by_rank"), ("By joining cohort", "by_cohort")):
        grouped = Table(title=title)
        for column in ("group", "members", "gainers", "losers", "change"):
            grouped.add_column(column, justify="left" if column == "group" else "right")
        for row in summary[key]:
            grouped.add_row(
                row["group"],
                str(row["members"]),
                str(row["gainers"]),
                str(row["losers"]),
                money(row["change"]),
            )
        console.print(grouped)

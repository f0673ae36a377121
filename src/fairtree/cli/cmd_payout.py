"""``fairtree payout``: batch a finalized period's payouts, export them, confirm them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fairtree.cli.database import command_session
from fairtree.cli.main import app
from fairtree.money import format_amount, parse_amount
from fairtree.services.commissions.payouts import (
    create_batch,
    export_csv,
    mark_items,
    plan_currency,
)

payout_app = typer.Typer(help="Payout batches: create, export, mark paid or failed.")
app.add_typer(payout_app, name="payout")


@payout_app.command("create")
def create(
    period: Annotated[str, typer.Argument(help="Finalized period, e.g. 2026-03.")],
    minimum: Annotated[str, typer.Option(help="Minimum payout in the plan currency.")] = "0",
) -> None:
    """Create the period's payout batch from member balances, converted at the exchange
    rates the period was finalized with (`close finalize PERIOD --rate ...`)."""
    with command_session() as session:
        currency = plan_currency(session)
        summary = create_batch(session, period, parse_amount(minimum, currency))
    Console().print(
        f"{summary.period_key}: batch {summary.batch_id}: {summary.pending} to pay "
        f"({format_amount(summary.pending_total, currency)} {currency}), "
        f"{summary.held} held, {summary.carried} carried"
    )


@payout_app.command("export")
def export(
    period: Annotated[str, typer.Argument(help="Period of the batch.")],
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
) -> None:
    """Write the pending items as a payout provider CSV."""
    with command_session() as session:
        out.write_text(export_csv(session, period), encoding="utf-8")
    Console().print(f"wrote {out}")


@payout_app.command("mark")
def mark(
    period: Annotated[str, typer.Argument(help="Period of the batch.")],
    items: Annotated[list[int], typer.Argument(help="Item ids.")],
    failed: Annotated[bool, typer.Option(help="Mark failed instead of paid.")] = False,
    reason: Annotated[str, typer.Option(help="Why an item failed.")] = "",
) -> None:
    """Confirm items paid, or failed (their amount returns to the member's balance)."""
    with command_session() as session:
        moved = mark_items(session, period, items, paid=not failed, reason=reason)
    Console().print(f"{moved} item(s) marked {'failed' if failed else 'paid'}")

"""``fairtree close``: draft, review and finalize a period's commission run."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fairtree.cli.database import command_session
from fairtree.cli.main import app
from fairtree.cli.output import print_problems
from fairtree.errors import ValidationError
from fairtree.money import format_amount, format_points
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.review import RunReview, review_run

ACTIONS = ("review", "finalize")


def parse_rate_options(pairs: list[str]) -> dict[str, str]:
    """``EUR=0.9215`` pairs as a currency -> Decimal string mapping (checked by the service)."""
    rates = {}
    for pair in pairs:
        currency, _, rate = pair.partition("=")
        if not rate:
            raise typer.BadParameter(f"rate {pair!r} must look like EUR=0.9215")
        rates[currency.strip().upper()] = rate.strip()
    return rates


@app.command()
def close(
    action_or_period: Annotated[
        str, typer.Argument(help="PERIOD to close into a draft, or `review` / `finalize`.")
    ],
    period: Annotated[str | None, typer.Argument(help="PERIOD after review/finalize.")] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option(
            help="With finalize: exchange rate from the plan currency, e.g. --rate EUR=0.9215; "
            "one for every currency members are paid in. Stored with the run; payouts "
            "convert at it."
        ),
    ] = None,
) -> None:
    """Close a period: `close PERIOD` writes the draft run (replacing an earlier draft),
    `close review PERIOD` shows totals and anomalies, `close finalize PERIOD [--rate
    EUR=0.92 ...]` makes it final with its exchange-rate snapshot."""
    console = Console()
    action = action_or_period if action_or_period in ACTIONS else "draft"
    key = period if action in ACTIONS else action_or_period
    if key is None:
        raise typer.BadParameter(f"`close {action}` needs a PERIOD, e.g. 2026-03")
    if rate and action != "finalize":
        raise typer.BadParameter("--rate belongs to `close finalize PERIOD`")
    if action == "draft":
        with console.status(f"closing {key}"), command_session() as session:
            result = close_period(session, key)
        verb = "replaced the draft" if result.replaced_draft else "wrote a draft"
        console.print(
            f"{key}: {verb} run {result.run_id}: {result.lines:,} lines, "
            f"{result.adjustments:,} adjustments, digest {result.digest[:16]}"
        )
    elif action == "finalize":
        try:
            with command_session() as session:
                run_id = finalize_run(session, key, parse_rate_options(rate or []))
        except ValidationError as error:
            print_problems(error)
            raise typer.Exit(1) from None
        console.print(f"{key}: run {run_id} is finalized and posted to the ledger")
    else:
        with command_session() as session:
            print_review(console, review_run(session, key))


def print_review(console: Console, review: RunReview) -> None:
    money = review.currency
    console.print(
        f"[bold]{review.period_key}[/bold] ({review.status}): paid "
        f"{format_amount(review.total_paid, money)} {money} on BV "
        f"{format_points(review.total_bv)} = {review.payout_share_of_bv:.2%}; adjustments "
        f"{format_amount(review.total_adjustments, money)} {money}"
    )
    if review.rates:
        listed = ", ".join(f"{target} {rate}" for target, rate in review.rates.items())
        console.print(f"exchange rates per 1 {money}: {listed}")
    table = Table("bonus", "kind", "pool", "paid", "breakage", "share of BV")
    for bonus in review.bonuses:
        table.add_row(
            bonus.bonus_id,
            bonus.kind,
            format_amount(bonus.pool, money),
            format_amount(bonus.paid, money),
            format_amount(bonus.breakage, money),
            f"{bonus.share_of_bv:.2%}",
        )
    console.print(table)
    if review.largest_changes:
        changes = Table("member", review.compared_with or "before", review.period_key, "change")
        for change in review.largest_changes:
            changes.add_row(
                change.member_id,
                format_amount(change.previous, money),
                format_amount(change.current, money),
                format_amount(change.delta, money),
            )
        console.print(changes)
    for anomaly in review.anomalies:
        console.print(f"[yellow]anomaly:[/yellow] {anomaly}")
    if not review.anomalies:
        console.print("no anomalies")

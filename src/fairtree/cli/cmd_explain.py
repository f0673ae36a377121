"""`fairtree explain` and `fairtree plan diff` on a dataset folder (no database)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fairtree.cli.main import app, plan_app
from fairtree.dataset.engine_input import load_dataset_input
from fairtree.engine.explain import explain_member
from fairtree.engine.whatif import diff_plans
from fairtree.errors import FairtreeError
from fairtree.money import format_amount
from fairtree.periods import Period
from fairtree.plans.load import load_plan

console = Console(soft_wrap=True)

DatasetOption = Annotated[Path, typer.Option("--dataset", help="Dataset folder (docs/dataset.md).")]
PeriodOption = Annotated[str, typer.Option("--period", help="Period key, e.g. 2026-03.")]


def _fail(exc: Exception) -> None:
    console.print(f"[red]error[/red] {exc}", highlight=False, markup=False)
    raise typer.Exit(1)


@app.command()
def explain(
    member: str,
    period: PeriodOption,
    dataset: DatasetOption,
    plan: Annotated[Path | None, typer.Option(help="Plan file (default: DIR/plan.yaml).")] = None,
) -> None:
    """Explain every payout line of MEMBER in a period: sources, levels, skips, rates."""
    try:
        document = load_plan(plan or dataset / "plan.yaml")
        inputs = load_dataset_input(dataset)
        lines = explain_member(inputs, document, Period.parse(period), member)
    except (FairtreeError, ValueError) as exc:
        _fail(exc)
        return
    currency = document.base.currency
    if not lines:
        console.print(f"{member} earned nothing in {period}: no volume reached them.")
    total = 0
    for line in lines:
        total += line.amount
        for text in line.describe(currency):
            console.print(text, highlight=False, markup=False)
    console.print(f"total {format_amount(total, currency)} {currency}", highlight=False)


@plan_app.command("diff")
def diff(
    before: Path,
    after: Path,
    period: PeriodOption,
    dataset: DatasetOption,
    top: Annotated[int, typer.Option(help="Members to list, largest change first.")] = 20,
) -> None:
    """What-if: evaluate a period under plan BEFORE and plan AFTER and show the difference."""
    try:
        old, new = load_plan(before), load_plan(after)
        inputs = load_dataset_input(dataset)
        result = diff_plans(inputs, old, new, Period.parse(period))
    except (FairtreeError, ValueError) as exc:
        _fail(exc)
        return
    currency = old.base.currency
    money = lambda minor: format_amount(minor, currency)  # noqa: E731
    table = Table(title=f"Pay by bonus, {period} ({currency})")
    for column in ("bonus", "before", "after", "change"):
        table.add_column(column, justify="left" if column == "bonus" else "right")
    for change in result.bonuses():
        table.add_row(
            change.bonus_id, money(change.before), money(change.after), money(change.delta)
        )
    table.add_row(
        "total",
        money(result.total_before),
        money(result.total_after),
        money(result.total_after - result.total_before),
    )
    console.print(table)
    console.print(f"{result.members_changed()} member(s) paid differently")
    members = Table(title=f"Largest changes (top {top})")
    for column in ("member", "before", "after", "change", "by bonus"):
        members.add_column(column)
    for row in result.members(limit=top):
        detail = ", ".join(f"{b} {money(d)}" for b, d in row.by_bonus.items())
        members.add_row(row.member, money(row.before), money(row.after), money(row.delta), detail)
    console.print(members)

"""``fairtree care MEMBER``: how a leader supports others (answer time, retention of
those they sponsored, team earning more than they spend)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fairtree.cli.database import command_session
from fairtree.cli.dates import parse_day
from fairtree.cli.main import app
from fairtree.errors import NotFoundError
from fairtree.services.access.authorization import owner_member
from fairtree.services.care.care_metrics import CareMetrics, care_metrics
from fairtree.services.clock import utcnow


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "no answered requests"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def render_care(metrics: CareMetrics) -> Table:
    table = Table(title=f"Care metrics of {metrics.member_id}, as of {metrics.as_of}")
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    table.add_row("Median time to first answer", _duration(metrics.median_first_answer_seconds))
    table.add_row("Help requests answered / unanswered",
                  f"{metrics.answered_requests} / {metrics.unanswered_requests}")  # fmt: skip
    table.add_row("Personally sponsored", str(metrics.personally_sponsored))
    for item in metrics.retention:
        share = f"{item.share}%" if item.share is not None else "nobody eligible yet"
        table.add_row(
            f"Still active after {item.months} months",
            f"{share} ({item.still_active} of {item.eligible})",
        )
    table.add_row("Team members", str(metrics.team_size))
    earning = metrics.team_earning_more_than_spent
    table.add_row(
        "Team earning more than they spent",
        f"{earning}%" if earning is not None else "nobody to compare",
    )
    return table


@app.command("care")
def care(
    member: Annotated[str, typer.Argument(help="The leader's member id.")],
    as_of: Annotated[str | None, typer.Option(help="Date YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Care metrics of a leader: answer time, retention of those they sponsored, team pay."""
    console = Console()
    day = parse_day(as_of, "--as-of", utcnow().date())
    assert day is not None
    try:
        with command_session() as session:
            metrics = care_metrics(session, owner_member(session, member), day)
    except NotFoundError:
        console.print(f"[red]No member {member!r}.[/red]")
        raise typer.Exit(code=1) from None
    console.print(render_care(metrics))
    console.print(f"Retention: {metrics.cohort_note}.", highlight=False)
    console.print(f"Team earning: {metrics.team_earning_note}.", highlight=False)

"""``fairtree statement``: a member's statement for a period, as HTML or CSV."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fairtree.cli.database import command_session
from fairtree.cli.main import app
from fairtree.services.commissions.statements import member_statement, render_csv, render_html


class StatementFormat(StrEnum):
    HTML = "html"
    CSV = "csv"


@app.command()
def statement(
    period: Annotated[str, typer.Argument(help="Period, e.g. 2026-03.")],
    member: Annotated[str, typer.Argument(help="Member id.")],
    format: Annotated[StatementFormat, typer.Option(help="Output format.")] = (
        StatementFormat.HTML
    ),
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
) -> None:
    """Every line a member earned in a period, each with how it was worked out."""
    with command_session() as session:
        built = member_statement(session, period, member)
    text = render_html(built) if format is StatementFormat.HTML else render_csv(built)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")

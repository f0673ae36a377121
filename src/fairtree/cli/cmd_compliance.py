"""``fairtree compliance``: the compliance monitors of one finalized period."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fairtree.cli.database import command_session
from fairtree.cli.main import app
from fairtree.cli.output import print_problems
from fairtree.disclosure import render_compliance
from fairtree.errors import NotFoundError, ValidationError
from fairtree.money import currency_exponent
from fairtree.services.disclosure.compliance import compliance_report


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    HTML = "html"


@app.command()
def compliance(
    period: Annotated[str, typer.Argument(help="A finalized period, e.g. 2026-03.")],
    format: Annotated[ReportFormat, typer.Option(help="Output format.")] = ReportFormat.JSON,
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
) -> None:
    """Compliance monitors of a finalized period, per member and for the company: sales
    to non-participants (Vemma, Herbalife lines), retail customers, inventory loading,
    qualification buying, recruiting-triggered pay, members who lost money. Each line is
    a setting of the plan (docs/disclosure.md)."""
    try:
        with command_session() as session:
            report = compliance_report(session, period)
    except ValidationError as error:
        print_problems(error)
        raise typer.Exit(1) from None
    except NotFoundError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    exponent = currency_exponent(report.currency)
    writers = {
        ReportFormat.JSON: render_compliance.to_json,
        ReportFormat.CSV: render_compliance.to_csv,
        ReportFormat.HTML: render_compliance.to_html,
    }
    text = writers[format](report, exponent)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")

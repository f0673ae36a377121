"""``fairtree disclosure``: the income disclosure statement and earnings-claim checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from datetime import datetime as datetime_type
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fairtree.cli.database import command_session
from fairtree.cli.main import app
from fairtree.cli.output import print_problems
from fairtree.disclosure import render, render_pdf
from fairtree.disclosure.statement import Statement
from fairtree.errors import NotFoundError, PermissionDeniedError, ValidationError
from fairtree.services.disclosure.claim_text import claim_text
from fairtree.services.disclosure.ledger_range import year_bounds
from fairtree.services.disclosure.publishing import publish_year, withdraw_year
from fairtree.services.disclosure.statement import build_statement, check_claim


class StatementFormat(StrEnum):
    HTML = "html"
    CSV = "csv"
    JSON = "json"
    PDF = "pdf"


class Per(StrEnum):
    MONTH = "month"
    YEAR = "year"


def _range(year: str | None, start: date | None, end: date | None) -> tuple[date, date]:
    if year is not None and (start or end):
        raise typer.BadParameter("give a YEAR or --from/--to, not both")
    if year is not None:
        if not year.isdigit():
            raise typer.BadParameter(f"YEAR must be a year such as 2026, got {year!r}")
        return year_bounds(int(year))
    if start is None or end is None:
        raise typer.BadParameter("give a YEAR, or both --from DATE and --to DATE")
    return start, end


def _write(data: str | bytes, out: Path | None) -> None:
    if out is None:
        if isinstance(data, bytes):
            raise typer.BadParameter("--format pdf needs --out FILE")
        typer.echo(data, nl=False)
    elif isinstance(data, bytes):
        out.write_bytes(data)
    else:
        out.write_text(data, encoding="utf-8")


@app.command()
def disclosure(
    year_or_claim: Annotated[
        str | None, typer.Argument(help="YEAR of the statement, or `claim`.", show_default=False)
    ] = None,
    amount: Annotated[
        str | None, typer.Argument(help="With `claim`: the amount claimed.", show_default=False)
    ] = None,
    start: Annotated[
        datetime_type | None,
        typer.Option("--from", help="First day of the range.", formats=["%Y-%m-%d"]),
    ] = None,
    end: Annotated[
        datetime_type | None,
        typer.Option("--to", help="Day after the range (exclusive).", formats=["%Y-%m-%d"]),
    ] = None,
    format: Annotated[StatementFormat, typer.Option(help="Output format.")] = StatementFormat.HTML,
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
    per: Annotated[
        Per | None, typer.Option(help="With `claim`: the amount is per month or per year.")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="With `claim`: the year to check against.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="With `publish`/`withdraw`: why (kept in the audit log).")
    ] = None,
) -> None:
    """The income disclosure statement of a YEAR (or --from/--to) from the finalized
    runs; `disclosure claim AMOUNT --per month|year [--year YEAR]`: the share of all
    participants who earned at least AMOUNT; `disclosure publish YEAR` / `disclosure
    withdraw YEAR`: the public page /disclosure/YEAR (audited)."""
    first = start.date() if start else None
    last = end.date() if end else None
    try:
        if year_or_claim == "claim":
            if amount is None or per is None:
                raise typer.BadParameter("`disclosure claim AMOUNT --per month|year [--year YEAR]`")
            if year is not None:
                first, last = _range(str(year), None, None)
            elif first is None or last is None:
                first, last = year_bounds(date.today().year - 1)
            with command_session() as session:
                checked = check_claim(session, amount, per.value, first, last)
            typer.echo(claim_text(checked))
            return
        if year_or_claim in ("publish", "withdraw"):
            if amount is None or not amount.isdigit():
                raise typer.BadParameter(f"`disclosure {year_or_claim} YEAR`, e.g. 2026")
            with command_session() as session:
                if year_or_claim == "publish":
                    digest = publish_year(session, None, int(amount), reason or "published")
                    typer.echo(f"{amount}: published at /disclosure/{amount} (sha256 {digest})")
                else:
                    withdraw_year(session, None, int(amount), reason or "withdrawn")
                    typer.echo(f"{amount}: withdrawn from /disclosure/{amount}")
            return
        if amount is not None:
            raise typer.BadParameter(f"unexpected argument {amount!r}")
        first, last = _range(year_or_claim, first, last)
        with command_session() as session:
            statement = build_statement(session, first, last)
        writers: dict[StatementFormat, Callable[[Statement], str | bytes]] = {
            StatementFormat.HTML: render.to_html,
            StatementFormat.CSV: render.to_csv,
            StatementFormat.JSON: render.to_json,
            StatementFormat.PDF: render_pdf.to_pdf,
        }
        _write(writers[format](statement), out)
    except ValidationError as error:
        print_problems(error)
        raise typer.Exit(1) from None
    except (NotFoundError, PermissionDeniedError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None

"""Dates given on the command line: one parser, one error, the supported range."""

from __future__ import annotations

from datetime import date

import typer

from fairtree.periods import FIRST_DATE, LAST_DATE


def parse_day(text: str | None, option: str, default: date | None = None) -> date | None:
    """``text`` (YYYY-MM-DD) as a date, ``default`` when not given; a clear usage error
    naming ``option`` when it is not a date or lies outside the supported range."""
    if text is None:
        return default
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise typer.BadParameter(
            f"{text!r} is outside the supported range {FIRST_DATE} to {LAST_DATE}",
            param_hint=option,
        )
    return day


def day_or_today(text: str | None, option: str) -> date:
    """``parse_day`` with today as the default."""
    day = parse_day(text, option, date.today())
    assert day is not None
    return day

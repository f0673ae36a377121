"""What a disclosure or compliance page can offer: the finalized periods and years on
record, and the years the company has published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import Problem, ValidationError
from fairtree.services.disclosure.ledger_range import year_bounds
from fairtree.store.repositories.disclosure import ledger_facts, publications

EARLIEST, LATEST = date(1900, 1, 1), date(3000, 1, 1)


@dataclass(frozen=True)
class DisclosureChoices:
    finalized_periods: list[str]  # newest first
    years: list[int]  # years with at least one finalized month, newest first
    published_years: list[int]  # newest first
    # [start, end): the twelve months ending with the latest finalized period, the
    # range a disclosure page offers first; None before any period is finalized
    last_twelve_months: tuple[date, date] | None = None


def disclosure_choices(session: Session) -> DisclosureChoices:
    company = ledger_facts.company(session)
    if company is None:
        return DisclosureChoices([], [], [])
    runs = ledger_facts.finalized_runs_within(session, company.id, EARLIEST, LATEST)
    periods = [run.period for run in reversed(runs)]
    years = sorted({run.starts_on.year for run in runs}, reverse=True)
    published = publications.published_years(session, company.id)
    return DisclosureChoices(
        periods, years, published, _year_ending(runs[-1].ends_on) if runs else None
    )


def _year_ending(end: date) -> tuple[date, date]:
    """[the same day a year earlier, end): twelve whole months when ``end`` is a month's
    first day (29 February goes back to 1 March)."""
    try:
        return end.replace(year=end.year - 1), end
    except ValueError:
        return date(end.year - 1, 3, 1), end


def chosen_range(year: str, start: str, end: str) -> tuple[date, date]:
    """[start, end) from a year (``2026``) or from two ISO dates; a 422 names the field."""
    year, start, end = year.strip(), start.strip(), end.strip()
    if year and (start or end):
        raise ValidationError(
            [Problem("disclosure", "", "year", "give a year or a range, not both")]
        )
    if year:
        if not (year.isdigit() and len(year) == 4):
            raise ValidationError([Problem("disclosure", year, "year", "use a year such as 2026")])
        return year_bounds(int(year))
    if not (start and end):
        raise ValidationError(
            [Problem("disclosure", "", "from", "choose a year, or both a first day and an end day")]
        )
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise ValidationError(
            [Problem("disclosure", f"{start} to {end}", "from", "use YYYY-MM-DD for both days")]
        ) from None
    if not (EARLIEST <= first < last <= LATEST):
        raise ValidationError(
            [Problem("disclosure", f"{start} to {end}", "to", "the end must come after the start")]
        )
    return first, last

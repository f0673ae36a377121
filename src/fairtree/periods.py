"""Periods: half-open date ranges ``[start, end)`` that a commission run covers.

Keys are stable text: ``2026-03`` (month), ``2026-W09`` (ISO week), or
``2026-03-01..2026-03-15`` (custom). A date belongs to exactly one period of a kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Dates fairtree accepts from outside (requests, commands): wide enough for any real
# business date, narrow enough that every period, month or year arithmetic stays inside
# what dates can hold.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2999, 12, 31)


class PeriodKind(StrEnum):
    MONTH = "month"
    WEEK = "week"
    CUSTOM = "custom"


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A half-open range of dates; ``end`` is the first day *after* the period."""

    start: date
    end: date
    kind: PeriodKind = PeriodKind.CUSTOM

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} must be after its start {self.start}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1)
        return cls(start, end, PeriodKind.MONTH)

    @classmethod
    def iso_week(cls, year: int, week: int) -> Period:
        start = date.fromisocalendar(year, week, 1)
        return cls(start, start + timedelta(days=7), PeriodKind.WEEK)

    @classmethod
    def containing(cls, day: date, kind: PeriodKind = PeriodKind.MONTH) -> Period:
        if kind is PeriodKind.MONTH:
            return cls.month(day.year, day.month)
        if kind is PeriodKind.WEEK:
            year, week, _ = day.isocalendar()
            return cls.iso_week(year, week)
        raise ValueError("a custom period cannot be derived from a date")

    @classmethod
    def parse(cls, key: str) -> Period:
        """Parse a period key; the error says which forms are accepted."""
        text = key.strip()
        try:
            if m := _MONTH.match(text):
                return cls.month(int(m[1]), int(m[2]))
            if m := _WEEK.match(text):
                return cls.iso_week(int(m[1]), int(m[2]))
            if m := _CUSTOM.match(text):
                return cls(date.fromisoformat(m[1]), date.fromisoformat(m[2]), PeriodKind.CUSTOM)
        except ValueError as exc:
            raise ValueError(f"period {key!r} is not a real period: {exc}") from None
        raise ValueError(
            f"period {key!r} must look like 2026-03 (month), 2026-W09 (week) "
            "or 2026-03-01..2026-03-15 (custom, end exclusive)"
        )

    @property
    def key(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind is PeriodKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    def next(self) -> Period:
        if self.kind is PeriodKind.CUSTOM:
            return Period(self.end, self.end + (self.end - self.start), PeriodKind.CUSTOM)
        return Period.containing(self.end, self.kind)

    def previous(self) -> Period:
        if self.kind is PeriodKind.CUSTOM:
            return Period(self.start - (self.end - self.start), self.start, PeriodKind.CUSTOM)
        return Period.containing(self.start - timedelta(days=1), self.kind)

    def __str__(self) -> str:
        return self.key

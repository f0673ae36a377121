"""How pages write money, volumes and dates: one format each, everywhere.

Money is exact integer minor units until the last step, written with thousands
separators and the currency's own decimals (``6965900, "USD" -> "69,659.00"``).
Dates are written one way: ``7 Dec 2026``.
"""

from __future__ import annotations

from datetime import date, datetime

from fairtree.money import POINT_EXPONENT, currency_exponent

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def grouped(units: int, exponent: int) -> str:
    """Integer units with ``exponent`` decimals, thousands grouped.

    ``-123456789, 2`` -> ``-1,234,567.89``."""
    units = int(units)
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**exponent)
    text = f"{whole:,}"
    return f"{sign}{text}.{frac:0{exponent}d}" if exponent else f"{sign}{text}"


def money(minor: int | None, currency: str, with_code: bool = False) -> str:
    if minor is None:
        return "–"
    text = grouped(minor, currency_exponent(currency))
    return f"{text} {currency}" if with_code else text


def points(hundredths: int | None) -> str:
    """Volume points (stored in hundredths) with thousands separators."""
    if hundredths is None:
        return "–"
    return grouped(hundredths, POINT_EXPONENT)


def thousands(value: int | None) -> str:
    """A count with thousands separators: ``1234567`` -> ``1,234,567``."""
    if value is None:
        return "–"
    return grouped(value, 0)


def grouped_text(text: str) -> str:
    """An exact decimal string with thousands separators: ``-19419.90`` -> ``-19,419.90``;
    text that is not a plain decimal is returned as it is."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = digits.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return text
    return f"{sign}{int(whole):,}{dot}{fraction}"


def day(value: date | datetime | str | None) -> str:
    """The one date format of the pages: ``7 Dec 2026`` (a datetime adds ``14:05 UTC``)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            return text
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, datetime):
        text += f", {value:%H:%M} UTC"
    return text


def period_name(key: str) -> str:
    """A month period key ``2026-03`` as ``Mar 2026``; other keys as they are."""
    year, _, month = key.partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12 and len(key) == 7:
        return f"{MONTHS[int(month) - 1]} {year}"
    return key


def percent(value: int, whole: int) -> int:
    """Share of ``whole`` in whole percent, 0..100, for bars (integer arithmetic)."""
    if whole <= 0:
        return 100
    return max(0, min(100, value * 100 // whole))


_LATIN1_STAND_INS = str.maketrans({"−": "-", "–": "-", "—": "-", "’": "'", "≥": ">=", "…": "..."})


def latin1_text(text: str) -> str:
    """Text for a PDF's built-in fonts, which speak Latin-1: common typographic marks
    become their plain stand-ins, anything else outside Latin-1 becomes '?'."""
    return text.translate(_LATIN1_STAND_INS).encode("latin-1", "replace").decode("latin-1")

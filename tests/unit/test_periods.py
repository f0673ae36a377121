from datetime import date

import pytest

from fairtree.periods import Period, PeriodKind


def test_month_is_half_open_and_rolls_over_year():
    dec = Period.parse("2026-12")
    assert (dec.start, dec.end) == (date(2026, 12, 1), date(2027, 1, 1))
    assert date(2026, 12, 31) in dec
    assert date(2027, 1, 1) not in dec
    assert dec.next().key == "2027-01"
    assert dec.previous().key == "2026-11"
    assert dec.days == 31


def test_iso_week_and_containing():
    week = Period.parse("2026-W01")
    assert week.start == date(2025, 12, 29)
    assert Period.containing(date(2026, 1, 1), PeriodKind.WEEK) == week
    assert week.next().key == "2026-W02"


def test_custom_period_round_trips_its_key():
    p = Period.parse("2026-03-01..2026-03-15")
    assert p.days == 14
    assert p.key == "2026-03-01..2026-03-15"
    assert p.next().start == date(2026, 3, 15)


@pytest.mark.parametrize("bad", ["2026-13", "2026/03", "March", "2026-03-15..2026-03-01"])
def test_bad_period_keys_say_why(bad):
    with pytest.raises(ValueError, match="period"):
        Period.parse(bad)

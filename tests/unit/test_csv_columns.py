"""Column formatting of the dataset writer: canonical numbers, ids, quoting, fast paths."""

import numpy as np
import pytest

from fairtree.simulation import csv_columns as col


def test_plain_long_columns_take_the_vocabulary_path_and_match_direct_conversion():
    rng = np.random.default_rng(1)
    few = np.array(["US", "CA", "JP"])[rng.integers(0, 3, 50_000)]
    few[-1] = "MX"  # a value missing from the sampled start of the column
    assert col.plain(few).to_pylist() == few.tolist()
    many = np.array([f"S{i}" for i in range(20_000)])  # too many values: direct path
    assert col.plain(many).to_pylist() == many.tolist()


def test_text_quotes_only_where_needed():
    values = np.array(["plain", "a, b", 'say "hi"', "line\nbreak", ""])
    assert col.text(values).to_pylist() == ["plain", '"a, b"', '"say ""hi"""', '"line\nbreak"', ""]


def test_fixed_point_money_and_points_are_canonical():
    assert col.money(np.array([4990, 5, 0, 123456]), np.array(["USD"] * 4)).to_pylist() == [
        "49.90", "0.05", "0.00", "1234.56",
    ]  # fmt: skip
    mixed = col.money(np.array([5000, 5000, 1234]), np.array(["JPY", "USD", "KWD"]))
    assert mixed.to_pylist() == ["5000", "50.00", "1.234"]
    assert col.points(np.array([2500, 3750, 1, -150])).to_pylist() == [
        "25.00", "37.50", "0.01", "-1.50",
    ]  # fmt: skip


def test_ids_pad_and_leave_none_empty():
    assert col.ids("M", np.array([0, 41, -1, 9_999_999]), 7).to_pylist() == [
        "M0000001", "M0000042", "", "M10000000",
    ]  # fmt: skip


def test_dates_and_booleans():
    days = np.array(["2026-01-01", "2026-12-31"], dtype="datetime64[D]")
    assert col.dates(days).to_pylist() == ["2026-01-01", "2026-12-31"]
    assert col.booleans(np.array([True, False])).to_pylist() == ["true", "false"]


def test_write_csv_refuses_mismatched_formatters(tmp_path):
    with pytest.raises(ValueError, match="2 columns but 1 formatters"):
        col.write_csv(tmp_path / "x.csv", ["a", "b"], 1, [lambda r: col.integers(np.array([1]))])

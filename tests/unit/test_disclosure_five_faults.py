"""The five faults the FTC staff found in 70 income disclosure statements (Sept. 2024).

One test per fault; each checks every format (JSON, CSV, HTML, PDF) and fails if the
fault appears in any of them.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

import pytest

from fairtree.disclosure import render, render_pdf
from tests.factories import sample_statement

FORMATS = ("json", "csv", "html", "pdf")


@pytest.fixture(scope="module")
def statement():
    return sample_statement()


def text_of(statement, fmt: str) -> str:
    """The format's text in reading order (PDF: its text strings joined)."""
    if fmt == "json":
        return render.to_json(statement)
    if fmt == "csv":
        return render.to_csv(statement)
    if fmt == "html":
        return html.unescape(re.sub(r"<svg.*?</svg>", "", render.to_html(statement), flags=re.S))
    raw = render_pdf.to_pdf(statement).decode("latin-1")
    strings = re.findall(r"\(((?:[^()\\]|\\.)*)\) Tj", raw)
    return "\n".join(re.sub(r"\\(.)", r"\1", s) for s in strings)


def pdf_lines(statement) -> list[str]:
    return text_of(statement, "pdf").split("\n")


def csv_rows(statement) -> list[list[str]]:
    return list(csv.reader(io.StringIO(render.to_csv(statement))))[1:]


def walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


# (a) Participants who made little or nothing are left out.
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_every_participant_is_counted_zero_earners_included(statement, fmt):
    everyone, zero = 10, 6
    assert statement.participants == everyone
    assert statement.paid_nothing == zero
    text = text_of(statement, fmt)
    if fmt == "json":
        data = json.loads(text)
        assert (data["participants"], data["paid_nothing"]) == (everyone, zero)
        assert sum(b["participants"] for b in data["brackets"]) == everyone
        assert sum(g["participants"] for g in data["by_rank"]) == everyone
        assert sum(g["participants"] for g in data["groups"]) == everyone
    elif fmt == "csv":
        rows = csv_rows(statement)
        assert ["headline", "", "participants", "10"] in rows
        bracket_counts = [int(r[3]) for r in rows if r[0] == "brackets" and r[2] == "participants"]
        assert sum(bracket_counts) == everyone
    else:
        assert f"Participants: {everyone} (everyone who was a member" in text.replace("\n", " ")
        assert f"Paid nothing: {zero} (60.0%)" in text


# (b) Expenses are not accounted for.
@pytest.mark.parametrize("fmt", FORMATS)
def test_b_net_pay_stands_beside_every_gross_figure(statement, fmt):
    text = text_of(statement, fmt)
    if fmt == "json":
        for node in walk(json.loads(text)):
            for key in node:
                if "gross" in key:
                    assert key.replace("gross", "net") in node, key
    elif fmt == "csv":
        rows = csv_rows(statement)
        for index, row in enumerate(rows):
            if "gross" in row[2]:
                following = rows[index + 1]
                assert following[:2] == row[:2] and following[2] == row[2].replace("gross", "net")
    elif fmt == "html":
        for header in re.findall(r"<thead>(.*?)</thead>", text, flags=re.S):
            cells = re.findall(r"<th[^>]*>(.*?)</th>", header)
            for i, cell in enumerate(cells):
                if "gross" in cell.lower():
                    assert cells[i + 1].lower() == cell.lower().replace("gross", "net"), cells
        for paragraph in re.findall(r"<p>(.*?)</p>", text, flags=re.S):
            if "gross" in paragraph.lower():
                assert "net" in paragraph.lower(), paragraph
    else:
        lines = pdf_lines(statement)
        figures = lines[: lines.index("Definitions")]  # the terms are defined after
        for i, line in enumerate(figures):
            if "gross" in line.lower():
                nearby = " ".join(lines[i : i + 3]).lower()
                assert "net" in nearby, line


def _first(text: str, needles: tuple[str, ...]) -> int:
    found = [text.find(n) for n in needles if text.find(n) >= 0]
    return min(found) if found else -1


# (c) High amounts received by a few are emphasised.
@pytest.mark.parametrize("fmt", FORMATS)
def test_c_no_top_figure_comes_before_the_median_and_the_share_paid_nothing(statement, fmt):
    text = text_of(statement, fmt)
    if fmt == "csv" or fmt == "json":
        median = _first(text, ("median_gross_pay",))
        nothing = _first(text, ("paid_nothing_share",))
        top = _first(text, ("top_1", "top_10", "25000.00", '"percent": 99', "99,gross"))
    else:
        median = _first(text.lower(), ("median gross pay",))
        nothing = _first(text.lower(), ("paid nothing:",))
        top = _first(text.lower(), ("top 1", "top 10", "25000.00", "99th", "or more"))
    assert median >= 0 and nothing >= 0 and top >= 0
    assert top > median and top > nothing


# (d) The limited income most receive is missing or inconspicuous.
@pytest.mark.parametrize("fmt", FORMATS)
def test_d_median_and_share_paid_nothing_are_in_the_headline(statement, fmt):
    text = text_of(statement, fmt)
    if fmt == "json":
        keys = list(json.loads(text))
        assert keys.index("paid_nothing_share") < 8 and keys.index("median_gross_pay") < 8
    elif fmt == "csv":
        headline = [r[2] for r in csv_rows(statement)[:14] if r[0] == "headline"]
        assert "paid_nothing_share" in headline and "median_gross_pay" in headline
    elif fmt == "html":
        (section,) = re.findall(r'<section class="headline".*?</section>', text, flags=re.S)
        assert "Paid nothing: 6 (60.0%)" in section
        assert "Median gross pay: 0.00 USD" in section
        assert "<strong>" in section
    else:
        opening = " ".join(pdf_lines(statement)[:8])
        assert "Paid nothing: 6 (60.0%)" in opening and "Median gross pay: 0.00 USD" in opening


# (e) Terms and figures are confusing: means without medians or populations.
@pytest.mark.parametrize("fmt", FORMATS)
def test_e_every_mean_stands_beside_its_median_and_population(statement, fmt):
    text = text_of(statement, fmt)
    if fmt == "json":
        for node in walk(json.loads(text)):
            for key in node:
                if key.startswith("mean_") and key != "mean_over":
                    assert key.replace("mean", "median") in node and "mean_over" in node
                    assert "participants" in node["mean_over"]
    elif fmt == "csv":
        groups: dict[tuple[str, str], set[str]] = {}
        for section, item, figure, _ in csv_rows(statement):
            groups.setdefault((section, item), set()).add(figure)
        for figures in groups.values():
            if "mean_gross_pay" in figures:
                assert {"median_gross_pay", "mean_over"} <= figures or {
                    "median_gross_pay",
                    "participants",
                } <= figures
    elif fmt == "html":
        for header in re.findall(r"<thead>(.*?)</thead>", text, flags=re.S):
            cells = re.findall(r"<th[^>]*>(.*?)</th>", header)
            if any(c.startswith("Mean") for c in cells):
                assert "Median gross pay" in cells and "Participants" in cells
        means = [p for p in re.findall(r"<p>(.*?)</p>", text, re.S) if "Mean" in p]
        assert means and all("median" in p and "over all 10 participants" in p for p in means)
    else:
        joined = text.replace("\n", " ")
        sentence = joined[joined.index("Mean gross pay") :][:220]
        assert "over all 10 participants" in sentence and "median gross pay" in sentence


def test_e_yearly_figures_are_what_people_received_not_a_month_multiplied(statement):
    # The mean is the exact total people received over the range divided by everyone
    # (26,035.00 / 10), not a monthly figure scaled up.
    data = json.loads(render.to_json(statement))
    assert data["total_gross_pay"] == "26035.00"
    assert data["mean_gross_pay"] == "2603.50"
    assert data["definitions"]["range"].endswith("never a month multiplied up.")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_statement_gives_the_same_bytes(statement, fmt):
    writer = {
        "json": render.to_json,
        "csv": render.to_csv,
        "html": render.to_html,
        "pdf": render_pdf.to_pdf,
    }[fmt]
    assert writer(statement) == writer(sample_statement())

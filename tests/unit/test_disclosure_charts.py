"""The statement's two charts come from fairtree.web.charts: SVG without inline styles
in the HTML, the same SVG placed in the PDF, and the same bytes on a second run."""

from __future__ import annotations

import re

from fairtree.disclosure import render, render_pdf
from tests.factories import sample_statement


def _pdf_strings(pdf: bytes) -> list[str]:
    found = re.findall(r"\(((?:[^()\\]|\\.)*)\) Tj", pdf.decode("latin-1"))
    return [re.sub(r"\\(.)", r"\1", text) for text in found]


def test_the_html_draws_both_charts_through_the_shared_module() -> None:
    statement = sample_statement()
    data = render.statement_data(statement)
    body = render.html_body(statement)
    svgs = re.findall(r"<svg.*?</svg>", body, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg
        assert "style=" not in svg and "<style" not in svg  # the CSP forbids inline style
    distribution, lorenz = svgs
    for bracket in data["brackets"]:
        assert f">{bracket['label']}<" in distribution
    assert ">equal shares<" in lorenz and ">actual<" in lorenz
    charts = render.statement_charts(data)
    assert [row.value for row in charts["distribution"].rows] == [
        f"{b['participants']:,}" for b in data["brackets"]
    ]
    assert [row.label for row in charts["lorenz"].rows] == [
        render.percent(p["population_share"]) for p in data["lorenz"]
    ]


def test_the_pdf_places_the_income_distribution_and_the_lorenz_curve() -> None:
    statement = sample_statement()
    data = render.statement_data(statement)
    pdf = render_pdf.to_pdf(statement)
    strings = _pdf_strings(pdf)
    bracket_title = strings.index("Gross and net pay by gross pay bracket, lowest first")
    lorenz_title = strings.index("Lorenz curve of gross pay (net pay is in the tables above)")
    # The chart's own text (tick labels, legend) follows each table's title.
    after_brackets = strings[bracket_title + 1 :]
    assert after_brackets[: len(data["brackets"])] == [b["label"] for b in data["brackets"]]
    assert "equal shares" in strings[lorenz_title + 1 :]
    assert pdf.count(b"/Subtype /Form") + pdf.count(b" re") > 0
    assert render_pdf.to_pdf(sample_statement()) == pdf

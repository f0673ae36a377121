"""The statement as a PDF: the same headline, tables and charts as the HTML, laid out
with fpdf2's core fonts so a second run gives the same bytes."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, time

from fairtree.disclosure.render import (
    chart_for,
    headline_lines,
    statement_charts,
    statement_data,
    tables,
)
from fairtree.disclosure.statement import Statement
from fairtree.web.formatting import latin1_text


def to_pdf(statement: Statement) -> bytes:
    """The statement as a PDF (core fonts, no compression, creation date = range end)."""
    from fpdf import FPDF

    data = statement_data(statement)
    pdf = FPDF(format="A4")
    pdf.set_compression(False)
    pdf.set_creation_date(datetime.combine(statement.ends_on, time(), tzinfo=UTC))
    pdf.set_producer("fairtree")
    pdf.set_title(
        latin1_text(f"Income disclosure statement {data['range']['from']} to {data['range']['to']}")
    )
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, style: str = "", size: int = 10) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, 5, latin1_text(text), new_x="LMARGIN", new_y="NEXT")

    for text, style, size in headline_lines(data):
        line(text, style, size)
    charts = statement_charts(data)
    for title, header, rows in tables(data):
        pdf.ln(2)
        line(title, "B", 11)
        chart = chart_for(title, charts)
        if chart is not None:
            share = 1.0 if chart is charts["distribution"] else 0.62
            svg = re.sub(r"<title[^>]*>.*?</title>", "", str(chart.svg))  # PDF: no tooltip
            pdf.image(io.BytesIO(svg.encode()), w=width * share)
            pdf.ln(1)
        pdf.set_font("Helvetica", "", 8)
        with pdf.table(text_align="LEFT", first_row_as_headings=True) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(latin1_text(str(value)))
    pdf.ln(2)
    line("Definitions", "B", 11)
    for term, text in data["definitions"].items():
        line(f"{term}: {text}", "", 8)
    return bytes(pdf.output())

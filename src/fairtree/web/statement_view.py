"""A statement as the member reads it: lines grouped by bonus with exact integer totals,
adjustments pointing at the period and bonus they correct; and the same as a PDF."""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from fairtree.services.commissions.statements import Statement, StatementLine
from fairtree.web.formatting import latin1_text, money, period_name


@dataclass(frozen=True)
class NumberedLine:
    number: int  # position in the statement, the key of its explanation fragment
    line: StatementLine


@dataclass(frozen=True)
class BonusGroup:
    bonus_id: str
    lines: list[NumberedLine]
    total: int


def grouped_by_bonus(statement: Statement) -> list[BonusGroup]:
    """Groups in the order bonuses first appear; each total is an integer sum of its lines."""
    groups: dict[str, list[NumberedLine]] = {}
    for number, line in enumerate(statement.lines):
        groups.setdefault(line.bonus_id, []).append(NumberedLine(number, line))
    return [
        BonusGroup(bonus, lines, sum(n.line.amount for n in lines))
        for bonus, lines in groups.items()
    ]


def statement_pdf(statement: Statement) -> bytes:
    currency = statement.currency
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_title(f"Statement {statement.period_key} {statement.member_id}")
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(
        0,
        9,
        latin1_text(f"Statement, {period_name(statement.period_key)}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 10)
    status = "final" if statement.status == "finalized" else "draft (an estimate)"
    pdf.cell(
        0,
        6,
        latin1_text(f"{statement.display_name} ({statement.member_id}) - {status}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    for group in grouped_by_bonus(statement):
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(130, 7, latin1_text(group.bonus_id))
        pdf.cell(
            0,
            7,
            f"{money(group.total, currency)} {currency}",
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for numbered in group.lines:
            line = numbered.line
            pdf.set_font("Helvetica", "", 9)
            label = (
                line.kind if not line.corrects_period else f"adjustment of {line.corrects_period}"
            )
            pdf.cell(130, 5, latin1_text(f"  {label}"))
            pdf.cell(0, 5, money(line.amount, currency), align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 8)
            for text in line.explanation:
                pdf.multi_cell(0, 4, latin1_text(f"      {text}"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(130, 8, "Total")
    pdf.cell(
        0,
        8,
        f"{money(statement.total, currency)} {currency}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(
        0,
        6,
        f"Owed to you now: {money(statement.owed, currency)} {currency}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for note in statement.notes:
        pdf.multi_cell(0, 5, latin1_text(note), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

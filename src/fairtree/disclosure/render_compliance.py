"""The compliance report as JSON, CSV and HTML: company figures first, then each monitor
with every member it flagged and the figures behind each flag."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from typing import Any

import numpy as np

from fairtree.disclosure import flag_text
from fairtree.disclosure.compliance import ComplianceReport, MemberFlags
from fairtree.disclosure.flag_text import figure_texts, minor_text
from fairtree.disclosure.render import percent, templates

HTML_MEMBERS_PER_MONITOR = 200  # the page lists this many; JSON and CSV list all


def format_minor_array(values: np.ndarray, exponent: int) -> np.ndarray:
    """Minor units as decimal strings, vectorized (``-1250, 2 -> "-12.50"``)."""
    return np.asarray(minor_text(values, exponent).to_numpy(zero_copy_only=False))


def figure_columns(flags: MemberFlags, exponent: int) -> dict[str, np.ndarray]:
    """Each figure column of ``flags`` as text (amounts and points as decimals)."""
    return {
        name: np.asarray(text.to_numpy(zero_copy_only=False))
        for name, text in figure_texts(flags, exponent).items()
    }


def _first(flags: MemberFlags, count: int) -> MemberFlags:
    return replace(
        flags,
        member_ids=flags.member_ids[:count],
        figures={name: values[:count] for name, values in flags.figures.items()},
    )


def report_data(
    report: ComplianceReport, exponent: int, limit: int | None = None
) -> dict[str, Any]:
    company = report.company
    monitors = []
    for flags in report.member_flags:
        count = flags.count if limit is None else min(flags.count, limit)
        listed = {
            name: values.tolist()
            for name, values in figure_columns(_first(flags, count), exponent).items()
        }
        ids = flags.member_ids[:count].astype(str).tolist()
        monitors.append(
            {
                "monitor": flags.monitor,
                "reason": flags.reason,
                "flagged": flags.count,
                "members": [
                    {"member": member, **{name: listed[name][i] for name in listed}}
                    for i, member in enumerate(ids)
                ],
            }
        )

    def money(minor: int) -> str:
        return str(format_minor_array(np.array([minor]), exponent)[0])

    return {
        "period": report.period,
        "currency": report.currency,
        "run_id": report.run_id,
        "company": {
            "members": company.members,
            "total_sales": money(company.total_sales),
            "non_participant_sales": money(company.non_participant_sales),
            "non_participant_share": str(company.non_participant_share),
            "total_pay": money(company.total_pay),
            "recruiting_pay": money(company.recruiting_pay),
            "recruiting_pay_share": str(company.recruiting_pay_share),
            "paid_members": company.paid_members,
            "paid_below_customer_minimum": company.paid_below_customer_minimum,
            "lost_money_last_12_months": company.lost_money_last_12_months,
            "lost_money_last_12_months_share": str(company.lost_money_last_12_months_share),
        },
        "company_flags": [
            {"monitor": f.monitor, "reason": f.reason, **f.figures} for f in report.company_flags
        ],
        "monitors": monitors,
        "cannot_tell": report.cannot_tell,
        "settings": report.settings,
    }


_MEMBERS_JSON = '"members": []'


def to_json(report: ComplianceReport, exponent: int) -> str:
    """One compact JSON document: the report without its flagged members through
    ``json.dumps``, then each monitor's members written from columns
    (``flag_text.json_members``) into its empty ``members`` list. Inside a JSON string
    every quote is escaped, so each unescaped ``"members": []`` is a monitor's list."""
    skeleton = json.dumps(report_data(report, exponent, limit=0), ensure_ascii=False)
    pieces = skeleton.split(_MEMBERS_JSON)
    if len(pieces) != len(report.member_flags) + 1:
        raise AssertionError("a monitor's members list was not found in the JSON skeleton")
    out = [pieces[0]]
    for flags, after in zip(report.member_flags, pieces[1:], strict=True):
        out += ['"members": [', flag_text.json_members(flags, exponent), "]", after]
    out.append("\n")
    return "".join(out)


def to_csv(report: ComplianceReport, exponent: int) -> str:
    """Long rows: scope (company or a member id), monitor, figure, value. The member rows
    are written from columns (``flag_text.csv_member_rows``)."""
    data = report_data(report, exponent, limit=0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scope", "monitor", "figure", "value"])
    for name, value in data["company"].items():
        writer.writerow(["company", "", name, value])
    for flag in data["company_flags"]:
        for name, value in flag.items():
            if name != "monitor":
                writer.writerow(["company", flag["monitor"], name, value])
    for monitor in data["monitors"]:
        writer.writerow(["company", monitor["monitor"], "flagged", monitor["flagged"]])
        writer.writerow(["company", monitor["monitor"], "reason", monitor["reason"]])
    for flags in report.member_flags:
        buffer.write(flag_text.csv_member_rows(flags, exponent))
    for text in data["cannot_tell"]:
        writer.writerow(["company", "cannot_tell", "note", text])
    for name, value in data["settings"].items():
        writer.writerow(["settings", "", name, value])
    return buffer.getvalue()


def html_body(report: ComplianceReport, exponent: int) -> str:
    data = report_data(report, exponent, limit=HTML_MEMBERS_PER_MONITOR)
    return templates.get_template("compliance_body.html").render(
        r=data, percent=percent, limit=HTML_MEMBERS_PER_MONITOR
    )


def to_html(report: ComplianceReport, exponent: int) -> str:
    return templates.get_template("compliance_document.html").render(
        r=report_data(report, exponent, limit=0), body=html_body(report, exponent)
    )

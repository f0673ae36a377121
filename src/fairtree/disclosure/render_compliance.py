"""The compliance report as JSON, CSV and HTML: company figures first, then each monitor
with every member it flagged and the figures behind each flag."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import numpy as np

from fairtree.disclosure.compliance import ComplianceReport, MemberFlags
from fairtree.disclosure.render import percent, templates
from fairtree.money import POINT_EXPONENT

HTML_MEMBERS_PER_MONITOR = 200  # the page lists this many; JSON and CSV list all


def format_minor_array(values: np.ndarray, exponent: int) -> np.ndarray:
    """Minor units as decimal strings, vectorized (``-1250, 2 -> "-12.50"``)."""
    values = values.astype(np.int64)
    if values.size == 0:
        return np.empty(0, dtype=str)
    magnitude = np.abs(values)
    whole = (magnitude // 10**exponent).astype(str)
    sign = np.where(values < 0, "-", "")
    if exponent == 0:
        return np.char.add(sign, whole)
    fraction = np.char.zfill((magnitude % 10**exponent).astype(str), exponent)
    return np.char.add(np.char.add(np.char.add(sign, whole), "."), fraction)


def figure_columns(flags: MemberFlags, exponent: int) -> dict[str, np.ndarray]:
    """Each figure column of ``flags`` as text (amounts and points as decimals)."""
    out = {}
    for name, values in flags.figures.items():
        kind = flags.kinds[name]
        if kind == "amount":
            out[name] = format_minor_array(values, exponent)
        elif kind == "points":
            out[name] = format_minor_array(values, POINT_EXPONENT)
        else:
            out[name] = values.astype(np.int64).astype(str)
    return out


def report_data(
    report: ComplianceReport, exponent: int, limit: int | None = None
) -> dict[str, Any]:
    company = report.company
    monitors = []
    for flags in report.member_flags:
        columns = figure_columns(flags, exponent)
        count = flags.count if limit is None else min(flags.count, limit)
        ids = flags.member_ids[:count].astype(str).tolist()
        listed = {name: values[:count].tolist() for name, values in columns.items()}
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


def to_json(report: ComplianceReport, exponent: int) -> str:
    """One compact JSON document (a large company flags hundreds of thousands of rows;
    the compact form is written by the C encoder, several times faster than indented)."""
    return json.dumps(report_data(report, exponent), ensure_ascii=False) + "\n"


def to_csv(report: ComplianceReport, exponent: int) -> str:
    """Long rows: scope (company or a member id), monitor, figure, value."""
    data = report_data(report, exponent)
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
    for monitor in data["monitors"]:
        for member in monitor["members"]:
            scope = _safe(member["member"])
            for name, value in member.items():
                if name != "member":
                    writer.writerow([scope, monitor["monitor"], name, value])
    for text in data["cannot_tell"]:
        writer.writerow(["company", "cannot_tell", "note", text])
    for name, value in data["settings"].items():
        writer.writerow(["settings", "", name, value])
    return buffer.getvalue()


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def html_body(report: ComplianceReport, exponent: int) -> str:
    data = report_data(report, exponent, limit=HTML_MEMBERS_PER_MONITOR)
    return templates.get_template("compliance_body.html").render(
        r=data, percent=percent, limit=HTML_MEMBERS_PER_MONITOR
    )


def to_html(report: ComplianceReport, exponent: int) -> str:
    return templates.get_template("compliance_document.html").render(
        r=report_data(report, exponent, limit=0), body=html_body(report, exponent)
    )

"""The compliance report's JSON and CSV, written from columns, are byte for byte what
``json.dumps`` and ``csv.writer`` write from one dictionary per flag (the reference
writers below), including member ids that need escaping, quoting or a formula guard."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from fairtree.disclosure import render_compliance
from fairtree.disclosure.compliance import CompanyFigures, ComplianceReport, Flag, MemberFlags
from fairtree.disclosure.flag_text import minor_text

AWKWARD_IDS = [
    "A-1",
    'quo"te',
    "comma,id",
    "back\\slash",
    "line\nbreak",
    "carriage\rreturn",
    "tab\tinside",
    "=SUM(A1)",
    "+1",
    "-2",
    "@name",
    "\tlead",
    "\rlead",
    "ünïcødé ✓",
    "ctrl\x01\x1f",
    "' already quoted",
]


def report(member_ids: np.ndarray) -> ComplianceReport:
    count = member_ids.size
    amounts = np.arange(count, dtype=np.int64) * 1237 - 5000
    company = CompanyFigures(
        members=count,
        total_sales=123456,
        non_participant_sales=-7,
        non_participant_share=Decimal("0.1234"),
        total_pay=99,
        recruiting_pay=0,
        recruiting_pay_share=Decimal("0"),
        paid_members=3,
        paid_below_customer_minimum=1,
        lost_money_last_12_months=2,
        lost_money_last_12_months_share=Decimal("0.5000"),
    )
    every = np.ones(count, dtype=bool)
    odd = np.arange(count) % 2 == 1
    return ComplianceReport(
        period="2026-03",
        currency="USD",
        run_id=7,
        settings={"company_min_customer_share": "80%", "sale_classes.retail": 'a "b", c'},
        company=company,
        company_flags=[Flag("company_customer_share", 'under "80%"', {"total_sales": "1.00"})],
        member_flags=[
            MemberFlags(
                "customer_share",
                'reason with "members": [] inside, and a comma',
                member_ids[every],
                {"team_sales": amounts, "pay": -amounts},
                {"team_sales": "amount", "pay": "amount"},
            ),
            MemberFlags(
                "qualification_buying",
                "points and counts",
                member_ids[odd],
                {"late_volume": amounts[odd] * 3, "paid_as_rank": np.arange(count)[odd]},
                {"late_volume": "points", "paid_as_rank": "count"},
            ),
            MemberFlags(
                "lost_money", "nobody", member_ids[:0], {"pay": amounts[:0]}, {"pay": "amount"}
            ),
        ],
        cannot_tell=["cannot, tell", 'with "quotes"\nand a line'],
    )


def numpy_minor(values: np.ndarray, exponent: int) -> list[str]:
    """The former formatter (numpy string functions), as an independent reference."""
    if values.size == 0:
        return []
    magnitude = np.abs(values.astype(np.int64))
    whole = (magnitude // 10**exponent).astype(str)
    sign = np.where(values < 0, "-", "")
    if exponent == 0:
        return [str(t) for t in np.char.add(sign, whole)]
    fraction = np.char.zfill((magnitude % 10**exponent).astype(str), exponent)
    return [str(t) for t in np.char.add(np.char.add(np.char.add(sign, whole), "."), fraction)]


def reference_data(built: ComplianceReport, exponent: int) -> dict[str, Any]:
    """``report_data`` with every member listed as one dictionary, figures formatted by
    the former numpy formatter."""
    data = render_compliance.report_data(built, exponent, limit=0)
    for monitor, flags in zip(data["monitors"], built.member_flags, strict=True):
        texts = {}
        for name, values in flags.figures.items():
            kind = flags.kinds[name]
            if kind == "count":
                texts[name] = [str(v) for v in values.tolist()]
            else:
                texts[name] = numpy_minor(values, 2 if kind == "points" else exponent)
        monitor["members"] = [
            {"member": member, **{name: texts[name][i] for name in texts}}
            for i, member in enumerate(flags.member_ids.astype(str).tolist())
        ]
    return data


def reference_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


def reference_csv(data: dict[str, Any]) -> str:
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
            text = member["member"]
            scope = "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
            for name, value in member.items():
                if name != "member":
                    writer.writerow([scope, monitor["monitor"], name, value])
    for text in data["cannot_tell"]:
        writer.writerow(["company", "cannot_tell", "note", text])
    for name, value in data["settings"].items():
        writer.writerow(["settings", "", name, value])
    return buffer.getvalue()


@pytest.mark.parametrize(
    "member_ids",
    [
        np.array(AWKWARD_IDS, dtype=object),
        np.array([f"M{i:05d}" for i in range(300)], dtype=object),
        np.arange(40, dtype=np.int64),
    ],
    ids=["awkward", "plain", "row-numbers"],
)
@pytest.mark.parametrize("exponent", [0, 2, 3])
def test_json_and_csv_match_the_reference_writers(member_ids: np.ndarray, exponent: int) -> None:
    built = report(member_ids)
    data = reference_data(built, exponent)
    assert render_compliance.report_data(built, exponent) == data
    assert render_compliance.to_json(built, exponent) == reference_json(data)
    assert render_compliance.to_csv(built, exponent) == reference_csv(data)
    assert json.loads(render_compliance.to_json(built, exponent))["monitors"][0]["flagged"] == (
        member_ids.size
    )


def test_awkward_ids_survive_a_round_trip() -> None:
    built = report(np.array(AWKWARD_IDS, dtype=object))
    members = json.loads(render_compliance.to_json(built, 2))["monitors"][0]["members"]
    assert [m["member"] for m in members] == AWKWARD_IDS
    assert members[0] == {"member": "A-1", "team_sales": "-50.00", "pay": "50.00"}
    # A carriage return is written unquoted (csv.writer with a "\n" line end), which
    # csv.reader refuses; the byte-identity test above covers those ids.
    readable = np.array([i for i in AWKWARD_IDS if "\r" not in i], dtype=object)
    text = render_compliance.to_csv(report(readable), 2)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    scopes = [row[0] for row in rows if row[1] == "customer_share" and row[2] == "pay"]
    assert scopes[:5] == ["A-1", 'quo"te', "comma,id", "back\\slash", "line\nbreak"]
    assert scopes[6:10] == ["'=SUM(A1)", "'+1", "'-2", "'@name"]


def test_minor_text_signs_and_pads() -> None:
    values = np.array([-1250, -5, 0, 7, 100, 123456789], dtype=np.int64)
    assert minor_text(values, 2).to_pylist() == [
        "-12.50",
        "-0.05",
        "0.00",
        "0.07",
        "1.00",
        "1234567.89",
    ]
    assert minor_text(values, 0).to_pylist() == ["-1250", "-5", "0", "7", "100", "123456789"]
    assert minor_text(values[:0], 2).to_pylist() == []

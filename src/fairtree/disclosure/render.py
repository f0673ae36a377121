"""The statement in every format: JSON, CSV and HTML here, PDF in ``render_pdf``, all
from one ordered tree.

``statement_data`` is the single source: the JSON is it, the CSV flattens it, the HTML
and the PDF lay it out. Its order is the reading order the FTC staff findings call
for: participants, the share paid nothing and the median (gross beside net) come
first; top shares come last. Amounts are minor-unit-exact decimal strings.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from fairtree.disclosure.statement import Group, Statement
from fairtree.money import format_amount
from fairtree.web.charts import Chart, bar_chart, lorenz_chart
from fairtree.web.formatting import grouped_text

templates = Environment(
    loader=PackageLoader("fairtree.disclosure", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _group(group: Group, money: Any) -> dict[str, Any]:
    return {
        "label": group.label,
        "participants": group.participants,
        "share_of_participants": str(group.share_of_participants),
        "paid_nothing": group.paid_nothing,
        "median_gross_pay": money(group.median_gross_pay),
        "median_net_pay": money(group.median_net_pay),
        "mean_gross_pay": money(group.mean_gross_pay),
        "mean_net_pay": money(group.mean_net_pay),
        "mean_over": f"the {group.participants:,} participants in this group",
        "median_purchases": money(group.median_purchases),
        "purchases_exceeded_pay": group.purchases_exceeded_pay,
    }


def statement_data(statement: Statement) -> dict[str, Any]:
    """The statement as an ordered tree of JSON values (the JSON format itself)."""

    def money(minor: int) -> str:
        return format_amount(int(minor), statement.currency)

    persistence = statement.top_earner_persistence
    return {
        "range": {
            "from": statement.starts_on.isoformat(),
            "to": statement.ends_on.isoformat(),
            "to_is_exclusive": True,
            "months": statement.months,
            "months_not_finalized": statement.months_not_finalized,
        },
        "company": statement.company,
        "currency": statement.currency,
        "participants": statement.participants,
        "paid_nothing": statement.paid_nothing,
        "paid_nothing_share": str(statement.paid_nothing_share),
        "median_gross_pay": money(statement.median_gross_pay),
        "median_net_pay": money(statement.median_net_pay),
        "mean_gross_pay": money(statement.mean_gross_pay),
        "mean_net_pay": money(statement.mean_net_pay),
        "mean_over": f"all {statement.participants:,} participants",
        "median_purchases": money(statement.median_purchases),
        "purchases_exceeded_pay": statement.purchases_exceeded_pay,
        "purchases_exceeded_pay_share": str(statement.purchases_exceeded_pay_share),
        "median_months_active": statement.median_months_active,
        "total_gross_pay": money(statement.total_gross_pay),
        "total_net_pay": money(statement.total_gross_pay - statement.total_purchases),
        "total_purchases": money(statement.total_purchases),
        "percentiles": [
            {"percent": p.percent, "gross_pay": money(p.gross_pay), "net_pay": money(p.net_pay)}
            for p in statement.percentiles
        ],
        "groups": [_group(g, money) for g in statement.groups],
        "brackets": [_group(g, money) for g in statement.brackets],
        "by_rank": [_group(g, money) for g in statement.by_rank],
        "retention": [
            {
                "joined_in": r.joined_in,
                "months_after": r.months_after,
                "members": r.members,
                "still_members": r.still_members,
                "still_members_share": str(r.still_members_share),
                "still_buying": r.still_buying,
                "still_buying_share": str(r.still_buying_share),
            }
            for r in statement.retention
        ],
        "top_1_percent_pay_share": str(statement.top_1_percent_pay_share),
        "top_10_percent_pay_share": str(statement.top_10_percent_pay_share),
        "gini": str(statement.gini),
        "lorenz": [
            {"population_share": str(p.population_share), "pay_share": str(p.pay_share)}
            for p in statement.lorenz
        ],
        "top_earner_persistence": (
            {
                "previous_from": persistence.previous_starts_on,
                "previous_to": persistence.previous_ends_on,
                "groups": [
                    {
                        "top_percent": g.percent,
                        "previous_members": g.last_year_members,
                        "still_on_top": g.still_on_top,
                        "still_on_top_share": str(g.still_on_top_share),
                    }
                    for g in persistence.groups
                ],
            }
            if persistence
            else {"not_available": "no finalized runs cover the equally long range before"}
        ),
        "definitions": statement.definitions,
        "runs": [
            {
                "run_id": run.run_id,
                "period": run.period,
                "plan_sha256": run.plan_sha256,
                "exchange_rates": run.rates,
            }
            for run in statement.runs
        ],
    }


def to_json(statement: Statement) -> str:
    return json.dumps(statement_data(statement), indent=2, ensure_ascii=False) + "\n"


def _csv_rows(data: dict[str, Any]) -> list[list[str]]:
    """Long rows: section, item, figure, value; in the JSON's order."""
    rows: list[list[str]] = []
    for key, value in data.items():
        if key in ("definitions",):
            rows += [["definitions", term, "definition", text] for term, text in value.items()]
        elif key == "range":
            rows.append(["range", "", "from", value["from"]])
            rows.append(["range", "", "to (exclusive)", value["to"]])
            rows.append(["range", "", "months", " ".join(value["months"])])
            rows.append(
                ["range", "", "months_not_finalized", " ".join(value["months_not_finalized"])]
            )
        elif key in ("percentiles",):
            for item in value:
                rows.append(["percentiles", str(item["percent"]), "gross_pay", item["gross_pay"]])
                rows.append(["percentiles", str(item["percent"]), "net_pay", item["net_pay"]])
        elif key in ("groups", "brackets", "by_rank"):
            for item in value:
                rows += [
                    [key, item["label"], name, str(v)]
                    for name, v in item.items()
                    if name != "label"
                ]
        elif key == "retention":
            for item in value:
                label = f"joined {item['joined_in']}, after {item['months_after']} months"
                rows += [
                    ["retention", label, n, str(v)]
                    for n, v in item.items()
                    if n not in ("joined_in", "months_after")
                ]
        elif key == "lorenz":
            for item in value:
                rows.append(["lorenz", item["population_share"], "pay_share", item["pay_share"]])
        elif key == "top_earner_persistence":
            for item in value.get("groups", []):
                label = f"top {item['top_percent']}%"
                rows += [
                    ["top_earner_persistence", label, n, str(v)]
                    for n, v in item.items()
                    if n != "top_percent"
                ]
            if "not_available" in value:
                rows.append(["top_earner_persistence", "", "not_available", value["not_available"]])
        elif key == "runs":
            for item in value:
                rates = " ".join(f"{c}={r}" for c, r in item["exchange_rates"].items())
                rows.append(["runs", item["period"], "run_id", str(item["run_id"])])
                rows.append(["runs", item["period"], "plan_sha256", item["plan_sha256"]])
                rows.append(["runs", item["period"], "exchange_rates", rates])
        else:
            rows.append(["headline", "", key, str(value)])
    return rows


def to_csv(statement: Statement) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "item", "figure", "value"])
    for row in _csv_rows(statement_data(statement)):
        writer.writerow([_safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _safe_cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a leading =, +, @ or tab);
    negative amounts keep their minus sign."""
    if (text and text[0] in "=+@\t\r") or (text.startswith("-") and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def percent(value: str) -> str:
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"


def statement_charts(data: dict[str, Any]) -> dict[str, Chart]:
    """The income distribution and the Lorenz curve, drawn by fairtree.web.charts; the
    statement's bracket and Lorenz tables carry the same figures."""
    return {
        "distribution": bar_chart(
            "disclosure-distribution",
            f"Participants by gross pay bracket ({data['currency']})",
            [b["label"] for b in data["brackets"]],
            [b["participants"] for b in data["brackets"]],
            0,
            "Participants",
            label_heading="Gross pay bracket",
        ),
        "lorenz": lorenz_chart(
            "disclosure-lorenz",
            "Lorenz curve of gross pay",
            [Decimal(p["population_share"]) for p in data["lorenz"]],
            [Decimal(p["pay_share"]) for p in data["lorenz"]],
            "Least-paid share of participants",
            "Their share of all pay",
        ),
    }


def html_body(statement: Statement) -> str:
    """The statement as an HTML fragment (the public page and the console embed it)."""
    return body_html(statement_data(statement))


def body_html(data: dict[str, Any], top: int = 1) -> str:
    """The statement's HTML fragment from its data (the JSON), headings from ``<h{top}>``
    down (a simulation report embeds its simulated statement one level lower)."""
    return templates.get_template("statement_body.html").render(
        s=data,
        headline=headline_lines(data)[2:],
        tables=tables(data),
        charts=statement_charts(data),
        chart_for=chart_for,
        percent=percent,
        top=top,
    )


def to_html(statement: Statement) -> str:
    """A whole HTML document, no external assets."""
    return templates.get_template("statement_document.html").render(
        s=statement_data(statement), body=html_body(statement)
    )


# The table a chart is drawn above (by the title's first words), in the HTML and the PDF.
_CHART_BEFORE = {
    "Gross and net pay by gross pay bracket": "distribution",
    "Lorenz curve of gross pay": "lorenz",
}


def chart_for(title: str, charts: dict[str, Chart]) -> Chart | None:
    """The chart drawn above the table titled ``title``, if any."""
    return charts.get(_CHART_BEFORE.get(title.split(" (")[0].split(",")[0], ""))


def headline_lines(data: dict[str, Any]) -> list[tuple[str, str, int]]:
    """The opening lines every format starts with (PDF and text use them as they are)."""
    cur = data["currency"]
    rng = data["range"]
    g = grouped_text
    return [
        (f"{data['company']}: income disclosure statement", "B", 14),
        (
            f"{rng['from']} to {rng['to']} (exclusive), {len(rng['months'])} "
            f"{'finalized' if data['runs'] else 'simulated'} month(s)",
            "",
            10,
        ),
        (
            f"Participants: {data['participants']:,} (everyone who was a member at any time "
            "in the range, zero earners included).",
            "B",
            11,
        ),
        (
            f"Paid nothing: {data['paid_nothing']:,} ({percent(data['paid_nothing_share'])}).",
            "B",
            11,
        ),
        (
            f"Median gross pay: {g(data['median_gross_pay'])} {cur}; median net pay after own "
            f"purchases: {g(data['median_net_pay'])} {cur}.",
            "B",
            11,
        ),
        (
            f"Mean gross pay {g(data['mean_gross_pay'])} {cur} "
            f"(net {g(data['mean_net_pay'])} {cur}) "
            f"over {data['mean_over']}, beside the median gross pay of "
            f"{g(data['median_gross_pay'])} {cur} (net {g(data['median_net_pay'])} {cur}).",
            "",
            10,
        ),
        (
            f"Purchases exceeded pay for {data['purchases_exceeded_pay']:,} participants "
            f"({percent(data['purchases_exceeded_pay_share'])}).",
            "",
            10,
        ),
    ]


GROUP_HEADER = [
    "Group",
    "Participants",
    "Share",
    "Paid nothing",
    "Median gross pay",
    "Median net pay",
    "Mean gross pay",
    "Mean net pay",
    "Median own purchases",
    "Purchases > pay",
]


def _group_rows(items: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            g["label"],
            f"{g['participants']:,}",
            percent(g["share_of_participants"]),
            f"{g['paid_nothing']:,}",
            grouped_text(g["median_gross_pay"]),
            grouped_text(g["median_net_pay"]),
            grouped_text(g["mean_gross_pay"]),
            grouped_text(g["mean_net_pay"]),
            grouped_text(g["median_purchases"]),
            f"{g['purchases_exceeded_pay']:,}",
        ]
        for g in items
    ]


def tables(data: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every table after the headline, in reading order (HTML and PDF share it)."""
    result = [
        (
            "Pay by percentile (all participants)",
            ["Percentile", "Gross pay", "Net pay"],
            [
                [f"{p['percent']}th", grouped_text(p["gross_pay"]), grouped_text(p["net_pay"])]
                for p in data["percentiles"]
            ],
        ),
        ("Business participants and buyer-only members", GROUP_HEADER, _group_rows(data["groups"])),
        (
            "Gross and net pay by gross pay bracket, lowest first",
            GROUP_HEADER,
            _group_rows(data["brackets"]),
        ),
        ("Participants by highest rank, no rank first", GROUP_HEADER, _group_rows(data["by_rank"])),
        (
            "Retention by joining cohort",
            ["Joined in", "Months after joining", "Members", "Still members", "Still buying"],
            [
                [
                    str(r["joined_in"]),
                    str(r["months_after"]),
                    f"{r['members']:,}",
                    f"{r['still_members']:,} ({percent(r['still_members_share'])})",
                    f"{r['still_buying']:,} ({percent(r['still_buying_share'])})",
                ]
                for r in data["retention"]
            ],
        ),
        (
            "Concentration of pay (all participants)",
            ["Figure", "Value"],
            [
                ["Share of all pay to the top 10%", percent(data["top_10_percent_pay_share"])],
                ["Share of all pay to the top 1%", percent(data["top_1_percent_pay_share"])],
                ["Gini coefficient of gross pay", data["gini"]],
            ],
        ),
        (
            "Lorenz curve of gross pay (net pay is in the tables above)",
            ["Least-paid share of participants", "Their share of all pay"],
            [[percent(p["population_share"]), percent(p["pay_share"])] for p in data["lorenz"]],
        ),
    ]
    persistence = data["top_earner_persistence"]
    if "groups" in persistence:
        result.append(
            (
                f"Top-earner persistence (previous range {persistence['previous_from']} to "
                f"{persistence['previous_to']})",
                ["Top group", "Members then", "Still in it", "Share"],
                [
                    [
                        f"top {g['top_percent']}%",
                        str(g["previous_members"]),
                        str(g["still_on_top"]),
                        percent(g["still_on_top_share"]),
                    ]
                    for g in persistence["groups"]
                ],
            )
        )
    if not data["runs"]:
        return result  # a simulated statement: no ledger runs behind it
    result.append(
        (
            "Finalized runs and exchange-rate snapshots used",
            ["Period", "Run", "Plan sha256", "Exchange rates"],
            [
                [
                    r["period"],
                    str(r["run_id"]),
                    r["plan_sha256"][:16],
                    " ".join(f"{c}={v}" for c, v in r["exchange_rates"].items()) or "none",
                ]
                for r in data["runs"]
            ],
        )
    )
    return result

"""The report as files: JSON (the full report), CSV (one ``key,value`` row per figure)
and HTML (tables with server-drawn SVG charts beside them)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from fairtree.disclosure.render import body_html
from fairtree.web.charts import Chart, Series, bar_chart, line_chart, lorenz_chart
from fairtree.web.formatting import grouped_text

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)
_env.filters["grouped"] = lambda value: grouped_text(value) if isinstance(value, str) else value
SKIPPED_IN_CSV = ("lorenz_pay",)


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Dotted keys for nested figures; list rows keyed by their first field's value."""
    if isinstance(value, dict):
        rows: list[tuple[str, Any]] = []
        for key, inner in value.items():
            if key in SKIPPED_IN_CSV:
                continue
            rows += flatten(inner, f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(value, list):
        rows = []
        for index, item in enumerate(value):
            label = next(iter(item.values())) if isinstance(item, dict) and item else index
            rows += flatten(
                {k: v for k, v in item.items() if v != label} if isinstance(item, dict) else item,
                f"{prefix}.{label}",
            )
        return rows
    return [(prefix, "" if value is None else value)]


def to_csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["key", "value"])
    for key, value in flatten(report):
        writer.writerow([key, value])
    return buffer.getvalue()


def _money_series(name: str, texts: list[str]) -> Series:
    return Series(name, [float(text) for text in texts], texts)  # floats only to draw


def report_charts(report: dict[str, Any]) -> dict[str, Chart]:
    """The three charts of a single run's report, drawn by fairtree.web.charts; the
    report's tables beside them carry the same figures."""
    cohorts = report["earnings_by_join_month"]
    histogram = report["net_income_histogram"]
    currency = report["currency"]
    return {
        "lorenz": lorenz_chart(
            "simulation-lorenz",
            f"Lorenz curve of pay (Gini {report['gini_pay']:.3f})",
            [Decimal(str(point[0])) for point in report["lorenz_pay"]],
            [Decimal(str(point[1])) for point in report["lorenz_pay"]],
            "Lowest-paid share of members",
            "Their share of all pay",
        ),
        "histogram": bar_chart(
            "simulation-net-income",
            f"Members by net income over the run ({currency})",
            [row["bracket"] for row in histogram],
            [row["members"] for row in histogram],
            0,
            "Members",
            label_heading=f"Net income ({currency})",
            losing=[row["bracket"].startswith(("-", "below -")) for row in histogram],
        ),
        "cohorts": line_chart(
            "simulation-cohorts",
            f"Mean pay and median net income by joining month ({currency})",
            [row["join_month"] for row in cohorts],
            [
                _money_series("mean pay", [row["mean_pay"] for row in cohorts]),
                _money_series("median net income", [row["median_net_income"] for row in cohorts]),
            ],
            "Joined",
            currency,
        ),
    }


def _report_context(report: dict[str, Any]) -> dict[str, Any]:
    # the simulated statement's HTML, from the disclosure's own (autoescaped) templates
    disclosure = Markup(body_html(report["income_disclosure"], top=3))  # noqa: S704
    return {"r": report, "charts": report_charts(report), "disclosure": disclosure}


def report_body(report: dict[str, Any]) -> str:
    """The single run's report as an HTML fragment (the console shows it in a page)."""
    return _env.get_template("report_body.html").render(**_report_context(report))


def to_html(report: dict[str, Any]) -> str:
    return _env.get_template("report.html").render(**_report_context(report))


def write_report(report: dict[str, Any], fmt: str, output: Path | None) -> str:
    """Render ``report`` in ``fmt``; write it to ``output`` when given, return the text."""
    text = {"json": to_json, "csv": to_csv, "html": to_html}[fmt](report)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    return text


def write_comparison(report: dict[str, Any], fmt: str) -> str:
    """A-vs-B comparison as JSON, CSV or HTML (with mean pay change by joining month)."""
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    return _comparison_html(report, "compare.html")


def comparison_body(report: dict[str, Any]) -> str:
    return _comparison_html(report, "compare_body.html")


def _comparison_html(report: dict[str, Any], template_name: str) -> str:
    rows = report["by_join_month"]
    chart = line_chart(
        "simulation-compare",
        f"Mean change in pay by joining month, B - A ({report['currency']})",
        [row["join_month"] for row in rows],
        [_money_series("mean pay change (B - A)", [row["mean_pay_change"] for row in rows])],
        "Joined",
        report["currency"],
    )
    return _env.get_template(template_name).render(r=report, chart=chart)


def write_sweep(report: dict[str, Any], fmt: str) -> str:
    """Sweep medians and 5-95% bands as JSON, CSV or HTML (with a band chart)."""
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    return _sweep_html(report, "sweep.html")


def sweep_body(report: dict[str, Any]) -> str:
    return _sweep_html(report, "sweep_body.html")


def _sweep_html(report: dict[str, Any], template_name: str) -> str:
    rows = report["mean_pay_by_join_month"]
    median = Series(
        "median of runs",
        [row["median"] for row in rows],
        [f"{row['median']:.2f}" for row in rows],
        band=([row["p5"] for row in rows], [row["p95"] for row in rows]),
    )
    chart = line_chart(
        "simulation-sweep",
        "Mean pay by joining month: median over runs with its 5-95% band",
        [row["join_month"] for row in rows],
        [median],
        "Joined",
        "mean pay",
    )
    return _env.get_template(template_name).render(r=report, chart=chart)

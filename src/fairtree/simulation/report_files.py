"""The report as files: JSON (the full report), CSV (one ``key,value`` row per figure)
and HTML (tables with server-drawn SVG charts beside them)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from fairtree.simulation import charts

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)
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


def report_charts(report: dict[str, Any]) -> dict[str, Markup]:
    """The three charts of a single run's report (SVG markup drawn here)."""
    cohorts = report["earnings_by_join_month"]
    months = [row["join_month"] for row in cohorts]
    return {
        "lorenz": Markup(charts.lorenz_svg(report["lorenz_pay"])),  # noqa: S704 - our own SVG
        "histogram": Markup(  # noqa: S704
            charts.histogram_svg(
                [row["bracket"] for row in report["net_income_histogram"]],
                [row["members"] for row in report["net_income_histogram"]],
                f"net income over the run ({report['currency']})",
            )
        ),
        "cohorts": Markup(  # noqa: S704
            charts.cohort_svg(
                months,
                {
                    "mean pay": [float(row["mean_pay"]) for row in cohorts],
                    "median net income": [float(row["median_net_income"]) for row in cohorts],
                },
                report["currency"],
            )
        ),
    }


def report_body(report: dict[str, Any]) -> str:
    """The single run's report as an HTML fragment (the console shows it in a page)."""
    return _env.get_template("report_body.html").render(r=report, charts=report_charts(report))


def to_html(report: dict[str, Any]) -> str:
    template = _env.get_template("report.html")
    return template.render(r=report, charts=report_charts(report))


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
    chart = charts.cohort_svg(
        [row["join_month"] for row in rows],
        {"mean pay change (B - A)": [float(row["mean_pay_change"]) for row in rows]},
        report["currency"],
    )
    template = _env.get_template(template_name)
    return template.render(r=report, chart=Markup(chart))  # noqa: S704 - our own SVG


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
    chart = charts.bands_svg(
        [row["join_month"] for row in rows],
        [row["median"] for row in rows],
        [row["p5"] for row in rows],
        [row["p95"] for row in rows],
        "mean pay by joining month",
    )
    template = _env.get_template(template_name)
    return template.render(r=report, chart=Markup(chart))  # noqa: S704 - our own SVG

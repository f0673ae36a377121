"""Charts drawn on the server: matplotlib renders SVG, returned as markup to put in a page,
each with the rows of a table that says the same thing (for screen readers, for copying,
and for anyone who prefers figures). Bars (:func:`bar_chart`), lines against labels,
with an optional 5-95% band (:func:`line_chart`), and a Lorenz curve against the line
of equal shares (:func:`lorenz_chart`). Every chart module of fairtree draws through
these: the console, the member pages, the income disclosure statement (its HTML and its
PDF, where fpdf2 places the same SVG) and the simulation reports.

The same figures give the same bytes: ids are salted with the chart's id and the SVG
carries no date, so a statement written twice is identical.

Money stays exact integer minor units in every row and total; it becomes a float only
to place a bar. The SVG carries no ``style`` attributes or ``<style>`` element (the
pages' Content-Security-Policy forbids inline styles): matplotlib's styles are rewritten
as SVG presentation attributes.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from fairtree.web.formatting import grouped

BAR_COLOUR = "#1f4d3a"
NEGATIVE_COLOUR = "#8a1c1c"
INK = "#1b2127"
GRID = "#d3d9de"
_lock = threading.Lock()  # matplotlib's rcParams are process-wide


SERIES_COLOURS = (BAR_COLOUR, "#0b5cad", "#b35900", "#6b3fa0")
EQUAL_COLOUR = "#6f7a84"


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: str  # formatted exactly from integers
    more: tuple[str, ...] = ()  # the other series' values, in ``Chart.more_headings`` order


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup
    value_heading: str
    rows: list[ChartRow]
    total: str | None = None
    label_heading: str = "Period"
    more_headings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Series:
    """One line: heights to draw (floats, drawing only) and the exact figures as text."""

    name: str
    heights: Sequence[float]
    texts: Sequence[str]
    band: tuple[Sequence[float], Sequence[float]] | None = field(default=None)  # low, high


_STYLE = re.compile(r'\sstyle="([^"]*)"')
_FONT = re.compile(r"^\s*(?:(bold|normal|italic)\s+)?([\d.]+)px\s+(.+)$")


def _attributes(style: str) -> str:
    """``fill: #fff; stroke-width: 0.8`` as `` fill="#fff" stroke-width="0.8"``."""
    out: list[str] = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip().replace('"', "'")
        if not name:
            continue
        if name == "font":
            match = _FONT.match(value)
            if match:
                weight, size, family = match.groups()
                out.append(f'font-size="{size}px" font-family="{family}"')
                if weight == "bold":
                    out.append('font-weight="bold"')
            continue
        out.append(f'{name}="{value}"')
    return (" " + " ".join(out)) if out else ""


def _clean_svg(text: str, title: str, chart_id: str) -> str:
    start = text.index("<svg")
    svg = text[start:]
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = _STYLE.sub(lambda m: _attributes(m.group(1)), svg)
    svg = re.sub(r"\n\s*", "\n", svg)
    referenced = set(re.findall(r"#([\w.-]+)\)?\"", svg)) | set(
        re.findall(r"url\(#([\w.-]+)\)", svg)
    )
    svg = re.sub(r'\sid="([^"]*)"', lambda m: m.group(0) if m.group(1) in referenced else "", svg)
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)
    title_id = f"{chart_id}-title"
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id}" focusable="false" '
        f'stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    ).replace(">", f'><title id="{title_id}">{Markup.escape(title)}</title>', 1)


@contextmanager
def _figure(chart_id: str, size: tuple[float, float]) -> Iterator[tuple[Figure, io.StringIO]]:
    """A matplotlib figure whose SVG (ids salted with ``chart_id``, no date) ends up in
    the yielded buffer once the block is left."""
    with _lock:
        matplotlib.rcParams["svg.fonttype"] = "none"
        matplotlib.rcParams["svg.hashsalt"] = chart_id
        figure = Figure(figsize=size, dpi=100)
        buffer = io.StringIO()
        yield figure, buffer
        figure.tight_layout()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})


def _plain_axes(axes: object) -> None:
    axes.tick_params(axis="both", labelsize=8, colors=INK)  # type: ignore[attr-defined]
    axes.grid(axis="y", color=GRID, linewidth=0.6)  # type: ignore[attr-defined]
    axes.set_axisbelow(True)  # type: ignore[attr-defined]
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)  # type: ignore[attr-defined]


def _markup(buffer: io.StringIO, title: str, chart_id: str) -> Markup:
    # matplotlib output with its styles rewritten; the title is escaped in _clean_svg
    return Markup(_clean_svg(buffer.getvalue(), title, chart_id))  # noqa: S704


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    exponent: int,
    value_heading: str,
    with_total: bool = True,
    label_heading: str = "Period",
    losing: Sequence[bool] | None = None,
) -> Chart:
    """Bars of exact integer ``values`` (``exponent`` decimals) over ``labels``; a
    negative value, or a bar marked in ``losing`` (a bracket of losses), is drawn red."""
    scale = 10**exponent
    heights = [int(v) / scale for v in values]  # floats only to place the bars
    with _figure(chart_id, (7.2, 2.8)) as (figure, buffer):
        axes = figure.add_subplot()
        marked = losing or [False] * len(values)
        colours = [
            NEGATIVE_COLOUR if v < 0 or lost else BAR_COLOUR
            for v, lost in zip(values, marked, strict=True)
        ]
        axes.bar(range(len(values)), heights, color=colours, width=0.7)
        axes.set_xticks(range(len(labels)), list(labels), fontsize=8, color=INK)
        axes.yaxis.set_major_formatter(FuncFormatter(_axis_label(0)))
        _plain_axes(axes)
        axes.axhline(0, color=INK, linewidth=0.8)
        if len(labels) > 8 or max((len(label) for label in labels), default=0) > 10:
            for tick in axes.get_xticklabels():
                tick.set_rotation(45)
                tick.set_horizontalalignment("right")
    rows = [ChartRow(label, grouped(v, exponent)) for label, v in zip(labels, values, strict=True)]
    total = grouped(sum(int(v) for v in values), exponent) if with_total else None
    return Chart(title, _markup(buffer, title, chart_id), value_heading, rows, total, label_heading)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    label_heading: str,
    y_label: str = "",
) -> Chart:
    """One line per series against ``labels`` (at most a dozen tick labels are written),
    each series' 5-95% band shaded when it has one; a zero line when values go negative.
    The table gives every series' exact figures per label."""
    positions = list(range(len(labels)))
    with _figure(chart_id, (7.2, 3.0)) as (figure, buffer):
        axes = figure.add_subplot()
        for index, line in enumerate(series):
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            if line.band is not None:
                low, high = line.band
                axes.fill_between(positions, list(low), list(high), color=colour, alpha=0.2,
                                  linewidth=0, label=f"{line.name}: 5-95% of runs")  # fmt: skip
            axes.plot(positions, list(line.heights), color=colour, linewidth=1.4,
                      marker="o", markersize=2, label=line.name)  # fmt: skip
        step = max(1, -(-len(labels) // 12))
        axes.set_xticks(positions[::step], list(labels)[::step], fontsize=8, color=INK)
        for tick in axes.get_xticklabels():
            tick.set_rotation(45)
            tick.set_horizontalalignment("right")
        if any(h < 0 for line in series for h in line.heights):
            axes.axhline(0, color=INK, linewidth=0.8)
        if y_label:
            axes.set_ylabel(y_label, fontsize=8, color=INK)
        largest = max((abs(h) for line in series for h in line.heights), default=0.0)
        axes.yaxis.set_major_formatter(FuncFormatter(_axis_label(0 if largest >= 10 else 2)))
        _plain_axes(axes)
        axes.legend(fontsize=8, frameon=False, loc="best")
    rows = [
        ChartRow(label, series[0].texts[i], tuple(line.texts[i] for line in series[1:]))
        for i, label in enumerate(labels)
    ]
    return Chart(
        title,
        _markup(buffer, title, chart_id),
        series[0].name,
        rows,
        None,
        label_heading,
        tuple(line.name for line in series[1:]),
    )


def lorenz_chart(
    chart_id: str,
    title: str,
    population_shares: Sequence[Decimal],
    value_shares: Sequence[Decimal],
    population_heading: str,
    value_heading: str,
) -> Chart:
    """The Lorenz curve (shares from 0 to 1, lowest first) against the line of equal
    shares; the table gives each point as exact percentages."""
    with _figure(chart_id, (4.8, 4.4)) as (figure, buffer):
        axes = figure.add_subplot()
        axes.plot([0, 100], [0, 100], color=EQUAL_COLOUR, linestyle="--", linewidth=1,
                  label="equal shares")  # fmt: skip
        axes.plot([float(p) * 100 for p in population_shares],
                  [float(v) * 100 for v in value_shares],
                  color=BAR_COLOUR, linewidth=1.6, label="actual")  # fmt: skip
        axes.set_xlim(0, 100)
        axes.set_ylim(0, 100)
        axes.set_xlabel(population_heading + " (%)", fontsize=8, color=INK)
        axes.set_ylabel(value_heading + " (%)", fontsize=8, color=INK)
        _plain_axes(axes)
        axes.legend(fontsize=8, frameon=False, loc="upper left")
    rows = [
        ChartRow(percent_text(p), percent_text(v))
        for p, v in zip(population_shares, value_shares, strict=True)
    ]
    return Chart(
        title, _markup(buffer, title, chart_id), value_heading, rows, None, population_heading
    )


def percent_text(share: Decimal) -> str:
    """A share as a percentage with one decimal, rounded half-even (``0.1234 -> 12.3%``)."""
    return f"{(Decimal(share) * 100).quantize(Decimal('0.1'))}%"


def _axis_label(decimals: int) -> Callable[[float, int], str]:
    def label(value: float, _position: int) -> str:
        return f"{value:,.{decimals}f}"  # axis ticks only; the table beside is exact

    return label

"""Charts drawn on the server: matplotlib renders SVG, returned as markup to put in a page,
each with the rows of a table that says the same thing (for screen readers, for copying,
and for anyone who prefers figures).

Money stays exact integer minor units in every row and total; it becomes a float only
to place a bar. The SVG carries no ``style`` attributes or ``<style>`` element (the
pages' Content-Security-Policy forbids inline styles): matplotlib's styles are rewritten
as SVG presentation attributes.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: str  # formatted exactly from integers


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup
    value_heading: str
    rows: list[ChartRow]
    total: str | None = None


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


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    exponent: int,
    value_heading: str,
    with_total: bool = True,
) -> Chart:
    """Bars of exact integer ``values`` (``exponent`` decimals) over ``labels``."""
    scale = 10**exponent
    heights = [int(v) / scale for v in values]  # floats only to place the bars
    with _lock:
        matplotlib.rcParams["svg.fonttype"] = "none"
        matplotlib.rcParams["svg.hashsalt"] = chart_id
        figure = Figure(figsize=(7.2, 2.8), dpi=100)
        axes = figure.add_subplot()
        colours = [NEGATIVE_COLOUR if v < 0 else BAR_COLOUR for v in values]
        axes.bar(range(len(values)), heights, color=colours, width=0.7)
        axes.set_xticks(range(len(labels)), list(labels), fontsize=8, color=INK)
        axes.tick_params(axis="y", labelsize=8, colors=INK)
        axes.yaxis.set_major_formatter(FuncFormatter(_axis_label(exponent)))
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.axhline(0, color=INK, linewidth=0.8)
        if len(labels) > 8:
            for tick in axes.get_xticklabels():
                tick.set_rotation(45)
                tick.set_horizontalalignment("right")
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    rows = [ChartRow(label, grouped(v, exponent)) for label, v in zip(labels, values, strict=True)]
    total = grouped(sum(int(v) for v in values), exponent) if with_total else None
    # matplotlib output with its styles rewritten; the title is escaped in _clean_svg
    svg = Markup(_clean_svg(buffer.getvalue(), title, chart_id))  # noqa: S704
    return Chart(title, svg, value_heading, rows, total)


def _axis_label(exponent: int) -> Callable[[float, int], str]:
    def label(value: float, _position: int) -> str:
        return f"{value:,.0f}"  # axis ticks only; the table beside gives exact figures

    return label

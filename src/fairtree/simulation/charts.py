"""SVG charts for the simulation report, drawn on the server with matplotlib.

Each chart is returned as SVG text; the report puts a table of the same figures
beside it, so the numbers are readable without the picture.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

WIDTH, HEIGHT = 6.0, 3.6
plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "svg.hashsalt": "fairtree"})


def _svg(figure: plt.Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def lorenz_svg(points: Sequence[tuple[float, float]], label: str = "pay") -> str:
    """Lorenz curve: share of members (lowest first) against their share of the total."""
    figure, axes = plt.subplots(figsize=(WIDTH * 0.7, HEIGHT))
    axes.plot([0, 1], [0, 1], color="#888888", linestyle="--", label="equal shares")
    axes.plot([p[0] for p in points], [p[1] for p in points], color="#1f5f8b", label=label)
    axes.set_xlabel("share of members (lowest earners first)")
    axes.set_ylabel(f"share of all {label}")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.legend(loc="upper left")
    return _svg(figure)


def histogram_svg(labels: Sequence[str], counts: Sequence[int], xlabel: str) -> str:
    """Members per income bracket (bars in bracket order; losing brackets in red)."""
    figure, axes = plt.subplots(figsize=(WIDTH, HEIGHT))
    positions = range(len(labels))
    losing = [label.startswith(("-", "below -")) for label in labels]
    axes.bar(positions, counts, color=["#b03a2e" if lost else "#1f5f8b" for lost in losing])
    axes.set_xticks(list(positions), labels, rotation=45, ha="right")
    axes.set_xlabel(xlabel)
    axes.set_ylabel("members")
    return _svg(figure)


def cohort_svg(months: Sequence[str], series: dict[str, Sequence[float]], ylabel: str) -> str:
    """One line per series against the joining month."""
    figure, axes = plt.subplots(figsize=(WIDTH, HEIGHT))
    for name, values in series.items():
        axes.plot(range(len(months)), values, marker="o", markersize=2, label=name)
    step = max(1, len(months) // 12)
    axes.set_xticks(
        list(range(0, len(months), step)), list(months)[::step], rotation=45, ha="right"
    )
    axes.axhline(0, color="#888888", linewidth=0.8)
    axes.set_xlabel("joining month")
    axes.set_ylabel(ylabel)
    axes.legend()
    return _svg(figure)


def bands_svg(
    x: Sequence[str],
    median: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    ylabel: str,
) -> str:
    """A median line with its 5-95% band (sweeps)."""
    figure, axes = plt.subplots(figsize=(WIDTH, HEIGHT))
    positions = list(range(len(x)))
    axes.fill_between(positions, low, high, color="#1f5f8b", alpha=0.25, label="5-95% of runs")
    axes.plot(positions, median, color="#1f5f8b", label="median of runs")
    step = max(1, len(x) // 12)
    axes.set_xticks(positions[::step], list(x)[::step], rotation=45, ha="right")
    axes.set_ylabel(ylabel)
    axes.legend()
    return _svg(figure)

"""Server-drawn SVG charts of the statement: the income distribution and the Lorenz curve.

Drawn with matplotlib's SVG backend, with ids salted and no timestamp, so the same
figures give the same bytes. Each chart is shown beside a table of the same numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt

_STYLE: dict[str, Any] = {
    "svg.hashsalt": "fairtree-disclosure",
    "svg.fonttype": "none",
    "font.size": 9,
}


def _svg(figure: object) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(figure)  # type: ignore[arg-type]
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def distribution_svg(labels: Sequence[str], counts: Sequence[int], title: str) -> str:
    """Participants per pay bracket, lowest bracket first, as horizontal bars."""
    with plt.rc_context(_STYLE):  # type: ignore[arg-type]
        figure, axes = plt.subplots(figsize=(6.4, 0.45 * len(labels) + 1.0))
        positions = list(range(len(labels)))
        axes.barh(positions, counts, color="#1f4d3a")
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.set_xlabel("participants")
        axes.set_title(title)
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        return _svg(figure)


def lorenz_svg(population: Sequence[float], pay: Sequence[float], title: str) -> str:
    """The Lorenz curve against the line of equal pay."""
    with plt.rc_context(_STYLE):  # type: ignore[arg-type]
        figure, axes = plt.subplots(figsize=(4.8, 4.8))
        axes.plot([0, 100], [0, 100], color="#8a949e", linestyle="--", label="equal pay")
        axes.plot(population, pay, color="#1f4d3a", label="actual pay")
        axes.set_xlabel("least-paid share of participants (%)")
        axes.set_ylabel("share of all pay (%)")
        axes.set_xlim(0, 100)
        axes.set_ylim(0, 100)
        axes.set_title(title)
        axes.legend(loc="upper left")
        return _svg(figure)

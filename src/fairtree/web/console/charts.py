"""The home page's payout-share chart: an SVG drawn on the server, with a table beside it."""

from __future__ import annotations

import io
from collections.abc import Sequence

from markupsafe import Markup

from fairtree.services.commissions.company_figures import PayoutShare


def payout_share_chart(shares: Sequence[PayoutShare]) -> Markup | None:
    """Bars of payout as a percentage of sales per period; None without finalized periods."""
    if not shares:
        return None
    import matplotlib

    matplotlib.use("svg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 2.6))
    axes = figure.add_subplot()
    labels = [s.period_key for s in shares]
    values = [float(s.share * 100) for s in shares]  # drawing only; the table has the exact figures
    axes.bar(labels, values, color="#1f4d3a")
    axes.set_ylabel("% of sales")
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg")
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="payout-share-title" ', 1)
    svg = svg.replace(
        ">", '><title id="payout-share-title">Payout as a share of sales, by period</title>', 1
    )
    return Markup(svg)  # noqa: S704 - drawn by matplotlib from numbers, no user text

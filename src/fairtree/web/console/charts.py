"""The home page's payout-share chart, drawn by the shared fairtree.web.charts."""

from __future__ import annotations

from collections.abc import Sequence

from fairtree.services.commissions.company_figures import PayoutShare
from fairtree.web.charts import Chart, bar_chart


def payout_share_chart(shares: Sequence[PayoutShare]) -> Chart | None:
    """Bars of payout as a percentage of sales per period (hundredths of a percent, exact
    from the stored share); None without finalized periods."""
    if not shares:
        return None
    return bar_chart(
        "payout-share-chart",
        "Payout as a share of sales, by period",
        [s.period_key for s in shares],
        [int((s.share * 10_000).to_integral_value()) for s in shares],
        2,
        "Share (%)",
        with_total=False,
    )

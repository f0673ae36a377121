"""The demo's books: closed and finalized months, a correction and a payout batch.

Every month but the current one is closed and finalized through the real services. A
late order dated in a finalized month is posted before the next close, so that close
carries adjustment lines pointing at the lines they correct. The last finalized month
gets a payout batch; the current month stays open with live rank progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.payouts import BatchSummary, create_batch
from fairtree.services.orders.rank_progress import NewLine, post_order, rebuild_period_volumes
from fairtree.store.repositories.network.members import member_by_external_id
from fairtree.store.repositories.orders import orders as orders_repo

# Demo exchange rates from the plan currency (USD); each finalized month stores them as
# its snapshot, and the payout batch converts at the snapshot of its month.
DEMO_RATES = {"USD": "1", "CAD": "1.3712", "JPY": "154.27"}
DEMO_MINIMUM_PAYOUT = 2000  # 20.00 USD: smaller balances carry to the next batch
LATE_ORDER_ID = "DEMO-LATE-1"


@dataclass(frozen=True)
class DemoBooks:
    finalized: list[str]
    corrected: str
    corrected_in: str
    payout: BatchSummary
    open_period: str


def _late_order_lines(session: Session, buyer: str) -> list[NewLine]:
    member = member_by_external_id(session, buyer)
    assert member is not None
    sku = orders_repo.top_commissionable_sku(session, member.country)
    assert sku is not None
    return [NewLine(sku, 2)]


def keep_demo_books(
    session: Session, first_day: date, months: int, choose_buyer: Callable[[Session, date], str]
) -> DemoBooks:
    """Close the demo's months through the services (no commit); needs ``months`` >= 3.

    ``choose_buyer`` is asked, once the earlier months are finalized, who places the
    late order (one of the demo leader's frontline, so the leader's statement shows a
    correction).
    """
    if months < 3:
        raise ValueError("the demo's books need at least three months")
    periods = [Period.containing(first_day)]
    for _ in range(months - 1):
        periods.append(periods[-1].next())
    *closed, current = periods
    for period in closed[:-1]:
        close_period(session, period.key)
        finalize_run(session, period.key, DEMO_RATES)
    corrected, corrected_in = closed[-2], closed[-1]
    late_day = corrected.end - timedelta(days=3)
    buyer = choose_buyer(session, late_day)
    post_order(session, LATE_ORDER_ID, buyer, late_day, _late_order_lines(session, buyer))
    close_period(session, corrected_in.key)
    finalize_run(session, corrected_in.key, DEMO_RATES)
    payout = create_batch(session, corrected_in.key, DEMO_MINIMUM_PAYOUT)
    rebuild_period_volumes(session, current.key)
    return DemoBooks(
        finalized=[p.key for p in closed],
        corrected=corrected.key,
        corrected_in=corrected_in.key,
        payout=payout,
        open_period=current.key,
    )

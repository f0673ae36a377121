"""A payout batch as the console shows it: its items, totals by status, and whether the
ledger agrees (what is in transit and paid in the ledger equals the items' sums)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from fairtree.ledger.accounts import Account
from fairtree.periods import Period
from fairtree.store.models import PayoutBatch
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import company_figures as figures_repo
from fairtree.store.repositories.commissions import ledger
from fairtree.store.repositories.commissions import payouts as payouts_repo

ITEM_SORTS = payouts_repo.ITEM_SORTS
ITEM_STATUSES = ("pending", "paid", "failed", "held", "carried")


@dataclass(frozen=True)
class BatchView:
    batch: PayoutBatch
    items: list[Any]  # one page, sorted and paged in the store
    item_count: int  # items matching the status asked for, all pages
    totals: dict[str, int]  # this batch, by status
    all_pending: int  # every batch's pending items
    all_paid: int
    ledger_in_transit: int  # the ledger's balances, as positive amounts owed or paid
    ledger_paid: int

    @property
    def reconciles(self) -> bool:
        return (self.all_pending, self.all_paid) == (self.ledger_in_transit, self.ledger_paid)


def batch_view(
    session: Session,
    period_key: str,
    status: str | None = None,
    sort: str = "id",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> BatchView | None:
    """The period's batch with one page of its items (``status``: only items in it)."""
    if status is not None and status not in ITEM_STATUSES:
        status = None
    company = company_repo.the_company(session)
    batch = payouts_repo.find_batch(session, company.id, Period.parse(period_key).key)
    if batch is None:
        return None
    everything = figures_repo.payout_item_totals(session)
    items, count = payouts_repo.batch_items_page(
        session, batch.id, status, sort, descending, limit, offset
    )
    return BatchView(
        batch=batch,
        items=items,
        item_count=count,
        totals=figures_repo.payout_item_totals(session, batch.id),
        all_pending=everything.get("pending", 0),
        all_paid=everything.get("paid", 0),
        ledger_in_transit=-ledger.account_total(session, Account.PAYOUTS_IN_TRANSIT),
        ledger_paid=-ledger.account_total(session, Account.PAYOUTS_PAID),
    )

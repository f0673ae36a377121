"""The console home page's figures: members, this period's volumes, payout share of sales
over the last periods, help waiting for the company, periods waiting for review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.services.clock import aware
from fairtree.services.commissions.review import share
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import company_figures as figures_repo


@dataclass(frozen=True)
class PayoutShare:
    period_key: str
    paid: int  # minor units, commissions and adjustments of the finalized run
    sales: int  # minor units of the period's orders
    share: Decimal  # paid / sales


@dataclass(frozen=True)
class HomeFigures:
    period_key: str
    currency: str
    members: dict[str, int]  # all, active, new, left (new and left: this period)
    volumes: dict[str, int]  # pv, bv (hundredths), sales (minor units)
    payout_shares: list[PayoutShare]  # oldest first
    awaiting_review: list[str]  # periods with a draft run
    open_help: int
    median_answer_hours: Decimal | None


def home_figures(session: Session, today: date, periods: int = 12) -> HomeFigures:
    company = company_repo.the_company(session)
    current = Period.containing(today)
    recent = figures_repo.recent_runs(session, company.id, periods * 2)
    finalized = sorted((r for r in recent if r.status == "finalized"), key=lambda r: r.starts_on)[
        -periods:
    ]
    sales = figures_repo.sales_by_period(session, [(r.starts_on, r.ends_on) for r in finalized])
    shares = [
        PayoutShare(
            r.period_key,
            r.total_paid + r.total_adjustments,
            s,
            share(r.total_paid + r.total_adjustments, s),
        )
        for r, s in zip(finalized, sales, strict=True)
    ]
    waits = sorted(
        (aware(answered) - aware(asked)).total_seconds()
        for asked, answered in figures_repo.company_help_times(session)
        if answered is not None
    )
    median = None
    if waits:
        middle = len(waits) // 2
        seconds = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
        median = (Decimal(seconds) / 3600).quantize(Decimal("0.1"))
    return HomeFigures(
        period_key=current.key,
        currency=company.currency,
        members=figures_repo.member_counts(session, current.start, current.end),
        volumes=figures_repo.order_totals(session, current.start, current.end),
        payout_shares=shares,
        awaiting_review=sorted(r.period_key for r in recent if r.status == "draft"),
        open_help=figures_repo.open_company_help(session),
        median_answer_hours=median,
    )

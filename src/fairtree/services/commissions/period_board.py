"""The periods an operator works through: each period's state (open, draft, finalized),
its run and payout batch, and the corrections waiting for the next close (finalized
periods whose orders changed since their run, with the late orders that changed them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import corrections as corrections_repo
from fairtree.store.repositories.commissions import payouts as payouts_repo
from fairtree.store.repositories.commissions import run_lines, runs


@dataclass(frozen=True)
class PeriodRow:
    key: str
    starts_on: Any
    ends_on: Any
    state: str  # open, draft, finalized
    total_paid: int | None
    total_adjustments: int | None
    currency: str
    has_batch: bool


@dataclass(frozen=True)
class WaitingCorrection:
    period_key: str
    late_orders: list[str]
    orders_then: int
    orders_now: int


@dataclass(frozen=True)
class ReviewFacts:
    """What a period's review shows beside its run: whether finalizing needs a second
    person's approval, whether the period has a payout batch yet, and the currencies
    members are paid in (each needs a rate when it is not the run's)."""

    needs_approval: bool
    has_batch: bool
    member_currencies: set[str]


def review_facts(session: Session, period_key: str, with_currencies: bool = True) -> ReviewFacts:
    """``with_currencies`` False (a finalized run needs no rates) skips reading every
    member's currency."""
    company = company_repo.the_company(session)
    return ReviewFacts(
        needs_approval=company.finalize_needs_approval,
        has_batch=payouts_repo.find_batch(session, company.id, period_key) is not None,
        member_currencies=payouts_repo.member_currencies(session) if with_currencies else set(),
    )


def period_rows(session: Session, today: date, limit: int = 36) -> list[PeriodRow]:
    """Closed periods on record, and every period after the last of them up to today's."""
    company = company_repo.the_company(session)
    stored = company_repo.periods(session, limit, 0)
    spans = {p.key: (p.starts_on, p.ends_on) for p in stored}
    current = Period.containing(today)
    following = (
        Period.parse(max(stored, key=lambda p: p.starts_on).key).next() if stored else current
    )
    while following.start <= current.start and len(spans) < limit + 24:
        spans.setdefault(following.key, (following.start, following.end))
        following = following.next()
    rows = []
    for key, (starts_on, ends_on) in spans.items():
        finalized = runs.find_run(session, company.id, key, "finalized")
        draft = runs.find_run(session, company.id, key, "draft")
        run = finalized or draft
        rows.append(
            PeriodRow(
                key=key,
                starts_on=starts_on,
                ends_on=ends_on,
                state="finalized" if finalized else "draft" if draft else "open",
                total_paid=run.total_paid if run else None,
                total_adjustments=run.total_adjustments if run else None,
                currency=run.currency if run else company.currency,
                has_batch=payouts_repo.find_batch(session, company.id, key) is not None,
            )
        )
    return sorted(rows, key=lambda r: r.starts_on, reverse=True)


def waiting_corrections(session: Session) -> list[WaitingCorrection]:
    """Finalized periods whose facts changed: the next close posts their adjustments."""
    company = company_repo.the_company(session)
    waiting = []
    for run in runs.finalized_runs(session, company.id):
        count, id_sum = corrections_repo.orders_fingerprint(session, run.starts_on, run.ends_on)
        if (count, id_sum) == (run.orders_count, run.orders_id_sum):
            continue
        late = corrections_repo.late_order_ids(
            session, run.starts_on, run.ends_on, run.orders_through_id
        )
        waiting.append(WaitingCorrection(run.period_key, late, run.orders_count, count))
    return waiting


def adjustment_lines(session: Session, period_key: str, limit: int = 500) -> list[Any]:
    """The adjustment lines of the period's current run, each naming what it corrects."""
    company = company_repo.the_company(session)
    key = Period.parse(period_key).key
    run = runs.find_run(session, company.id, key, "draft") or runs.find_run(
        session, company.id, key, "finalized"
    )
    if run is None:
        return []
    return run_lines.lines_of_kind(session, run.id, "adjustment", limit)

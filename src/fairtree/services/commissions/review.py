"""Review a run before finalizing: totals, payout share, breakage, changes, anomalies.

The anomalies are prompts for a person, not verdicts: a member paid more than
``member_factor`` times their usual (their mean over the last ``history`` finalized
periods in which they earned), and a bonus whose share of BV is above its highest share
in those periods by more than ``bonus_margin`` (a fraction, 0.10 = 10% higher).
Member totals, changes and anomalies are summed and compared in SQL: only the rows shown
come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.money import currency_exponent
from fairtree.periods import Period
from fairtree.store.models import CommissionRun
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import runs


@dataclass(frozen=True)
class BonusReview:
    bonus_id: str
    kind: str
    pool: int
    paid: int
    breakage: int
    share_of_bv: Decimal  # paid / BV value, as a fraction (0.12 = 12%)


@dataclass(frozen=True)
class Change:
    member_id: str
    previous: int
    current: int

    @property
    def delta(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class RunReview:
    period_key: str
    status: str
    currency: str
    total_bv: int  # hundredths of a point
    total_paid: int
    total_adjustments: int
    payout_share_of_bv: Decimal
    bonuses: list[BonusReview]
    compared_with: str | None
    largest_changes: list[Change]
    anomalies: list[str] = field(default_factory=list)
    rates: dict[str, str] = field(default_factory=dict)  # snapshot of a finalized run


def bv_value(total_bv: int, currency: str) -> int:
    """BV hundredths as minor units of the plan currency (1.00 point = 1.00 currency)."""
    return total_bv * 10 ** currency_exponent(currency) // 100


def share(amount: int, base: int) -> Decimal:
    if base <= 0:
        return Decimal(0)
    return Decimal(amount) / Decimal(base)


def review_run(
    session: Session,
    period_key: str,
    top: int = 10,
    member_factor: int = 3,
    bonus_margin: Fraction = Fraction(1, 10),
    history: int = 3,
) -> RunReview:
    company = company_repo.the_company(session)
    key = Period.parse(period_key).key
    run = runs.find_run(session, company.id, key, "draft") or runs.find_run(
        session, company.id, key, "finalized"
    )
    if run is None:
        raise NotFoundError(f"no run for period {key}; run `fairtree close {key}` first")
    base = bv_value(run.total_bv, run.currency)
    bonuses = [
        BonusReview(t.bonus_id, t.kind, t.pool, t.paid, t.breakage, share(t.paid, base))
        for t in runs.bonus_totals(session, run.id)
    ]
    earlier = runs.finalized_runs(session, company.id, before=run.starts_on)[-history:]
    changes = [
        Change(member_id, previous, current)
        for member_id, previous, current in runs.largest_changes(
            session, run.id, earlier[-1].id if earlier else None, top
        )
    ]
    anomalies = _member_anomalies(session, run, earlier, member_factor)
    anomalies += _bonus_anomalies(session, earlier, bonuses, bonus_margin)
    return RunReview(
        period_key=key,
        status=run.status,
        currency=run.currency,
        total_bv=run.total_bv,
        total_paid=run.total_paid,
        total_adjustments=run.total_adjustments,
        payout_share_of_bv=share(run.total_paid, base),
        bonuses=bonuses,
        compared_with=earlier[-1].period_key if earlier else None,
        largest_changes=changes,
        anomalies=anomalies,
        rates=runs.exchange_rates(session, run.id),
    )


def _member_anomalies(
    session: Session, run: CommissionRun, earlier: list[CommissionRun], factor: int
) -> list[str]:
    """Members paid more than ``factor`` times their usual, found in SQL."""
    found = []
    for member_id, amount, total, count in runs.pay_above_usual(
        session, run.id, [r.id for r in earlier], factor
    ):
        usual = Fraction(total, count)
        found.append(
            f"member {member_id} is paid {amount} minor units, "
            f"{float(amount / usual):.1f} times their usual {float(usual):.0f}"
        )
    return found


def _bonus_anomalies(
    session: Session, earlier: list[CommissionRun], bonuses: list[BonusReview], margin: Fraction
) -> list[str]:
    highest: dict[str, Decimal] = {}
    for run in earlier:
        base = bv_value(run.total_bv, run.currency)
        for total in runs.bonus_totals(session, run.id):
            value = share(total.paid, base)
            highest[total.bonus_id] = max(highest.get(total.bonus_id, Decimal(0)), value)
    limit = Decimal(1) + Decimal(margin.numerator) / Decimal(margin.denominator)
    return [
        f"bonus {b.bonus_id} pays {b.share_of_bv:.2%} of BV, above its highest "
        f"{highest[b.bonus_id]:.2%} in the last {len(earlier)} period(s)"
        for b in bonuses
        if b.bonus_id in highest and b.share_of_bv > highest[b.bonus_id] * limit
    ]

"""What a member has earned and what is still to come: per-period totals of the runs the
close stored, the open period's draft as an estimate, ledger balances and the next payout.

Totals are sums of the stored payout lines (integer minor units), the same lines the
statement lists, so a period's total here equals its statement's total to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.ledger.accounts import Account, member_owed
from fairtree.store.models import Member
from fairtree.store.repositories.commissions import member_pay

FINALIZED = ("finalized",)
ANY_RUN = ("finalized", "draft")


@dataclass(frozen=True)
class PeriodPay:
    period_key: str
    status: str  # finalized, or draft (an estimate until finalized)
    currency: str
    starts_on: date
    ends_on: date
    total: int  # minor units
    lines: int


@dataclass(frozen=True)
class Balance:
    currency: str
    owed: int  # the company owes the member now, net of clawbacks
    clawback_receivable: int  # the member owes back (>= 0), settled from later pay
    in_transit: int  # handed to the payout provider, not yet confirmed
    paid: int  # confirmed paid, all time


@dataclass(frozen=True)
class NextPayout:
    period_key: str
    amount: int
    currency: str
    status: str  # pending, or held (below the minimum or on hold)


@dataclass(frozen=True)
class Earnings:
    recent: list[PeriodPay]  # last finalized periods, oldest first
    estimate: PeriodPay | None  # the newest draft run after the last finalized one
    balances: list[Balance]
    next_payout: NextPayout | None


def _pay(row: tuple) -> PeriodPay:  # type: ignore[type-arg]
    key, status, currency, starts_on, ends_on, total, lines = row
    return PeriodPay(
        str(key), str(status), str(currency), starts_on, ends_on, int(total), int(lines)
    )


def periods(
    session: Session, member: Member, limit: int, offset: int, finalized_only: bool = False
) -> tuple[list[PeriodPay], int]:
    """Every period with a run (newest first), the member's total in each; and how many."""
    statuses = FINALIZED if finalized_only else ANY_RUN
    rows = member_pay.run_totals(session, member.id, statuses, limit, offset)
    return [_pay(r) for r in rows], member_pay.run_count(session, statuses)


def _balances(session: Session, member: Member) -> list[Balance]:
    by_currency: dict[str, dict[str, int]] = {}
    for account, currency, total in member_pay.balances(session, member.id):
        by_currency.setdefault(currency, {})[account] = total
    result = []
    for currency, accounts in sorted(by_currency.items()):
        payable = accounts.get(Account.MEMBER_PAYABLE.value, 0)
        receivable = accounts.get(Account.CLAWBACK_RECEIVABLE.value, 0)
        result.append(
            Balance(
                currency=currency,
                owed=member_owed(payable, receivable),
                clawback_receivable=max(receivable, 0),
                in_transit=-accounts.get(Account.PAYOUTS_IN_TRANSIT.value, 0),
                paid=-accounts.get(Account.PAYOUTS_PAID.value, 0),
            )
        )
    return result


def member_earnings(session: Session, member: Member, periods_shown: int = 12) -> Earnings:
    newest = [_pay(r) for r in member_pay.run_totals(session, member.id, ANY_RUN, 2, 0)]
    estimate = newest[0] if newest and newest[0].status == "draft" else None
    recent = [
        _pay(r) for r in member_pay.run_totals(session, member.id, FINALIZED, periods_shown, 0)
    ]
    items = member_pay.open_payout_items(session, member.id)
    next_payout = None
    if items:
        key, amount, currency, payout_amount, payout_currency, status = items[0]
        next_payout = NextPayout(str(key), int(payout_amount), str(payout_currency), str(status))
        del amount, currency
    return Earnings(list(reversed(recent)), estimate, _balances(session, member), next_payout)

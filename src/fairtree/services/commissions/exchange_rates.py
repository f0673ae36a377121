"""Exchange-rate snapshots: the rates a run is finalized with, and its payouts convert at.

A rate is an exact Decimal string: units of the target currency per one unit of the
run's (plan) currency. The snapshot is taken once, at finalize, and stored with the run
(``run_exchange_rates``), so what a period's payouts convert at is part of the immutable
record of that period rather than something typed again when paying.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from sqlalchemy.orm import Session

from fairtree.errors import Problem, ValidationError
from fairtree.store.repositories.commissions import payouts as payouts_repo

_CURRENCY = re.compile(r"[A-Z]{3}")


def parse_rates(rates: dict[str, str], currency: str) -> dict[str, Fraction]:
    """Rates as exact fractions: units of the target currency per one ``currency`` unit.

    ``currency`` itself is always 1; a rate given for it must be 1 too.
    """
    parsed = {currency: Fraction(1)}
    problems = []
    for target, text in rates.items():
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal(-1)
        if not _CURRENCY.fullmatch(target):
            problems.append(Problem("rates", target, "currency", "not a currency code"))
        elif not value.is_finite() or value <= 0:
            problems.append(Problem("rates", target, "rate", f"not a positive decimal: {text!r}"))
        elif target == currency and value != 1:
            problems.append(Problem("rates", target, "rate", f"{currency} is the run currency: 1"))
        else:
            parsed[target] = Fraction(value)
    if problems:
        raise ValidationError(problems)
    return parsed


def missing(currency: str, rates: dict[str, Fraction], needed: set[str]) -> list[str]:
    """The currencies in ``needed`` without a rate from ``currency``, sorted."""
    return sorted(needed - set(rates) - {currency})


def snapshot(session: Session, currency: str, rates: dict[str, str]) -> dict[str, str]:
    """The snapshot to store with a run: validated, exact, covering every member currency.

    Members may be paid from any later batch, so the snapshot needs a rate for every
    currency a member is paid in, not only for those who earn in this run.
    """
    parsed = parse_rates(rates, currency)
    lacking = missing(currency, parsed, payouts_repo.member_currencies(session))
    if lacking:
        raise ValidationError(
            [
                Problem(
                    "rates",
                    c,
                    "rate",
                    f"no exchange rate {currency}->{c} given; members are paid in {c}",
                )
                for c in lacking
            ]
        )
    return {target: str(Decimal(text)) for target, text in rates.items() if target != currency}

"""Care metrics: how a leader supports the people around them, not how much they sell.

- Median time to first answer of help requests addressed to the leader (withdrawn
  requests do not count; unanswered ones are reported beside the median).
- Retention of those the leader personally sponsored after 3, 6 and 12 months,
  cohort-correct: only members who joined at least that long before the as-of date are
  in the denominator (someone who joined last month cannot yet have stayed 6 months).
  A member counts as still active at the horizon if they are active now, or their
  current status (inactive, terminated, closed) began after the horizon. Status
  changes before the last one are not stored, so a member who left and came back
  counts as active throughout.
- Share of the leader's team (downline) earning more than they spent on their own
  orders, from the ledger: pay of finalized runs up to the as-of date (adjustments
  included) against own orders placed by then (returns subtracted). Amounts in different
  currencies are not compared without an exchange rate: such members are counted apart
  and left out of the share, and the note says how many.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from sqlalchemy.orm import Session

from fairtree.store.models import Member
from fairtree.store.repositories.care import earnings as earnings_repo
from fairtree.store.repositories.care import help as help_repo
from fairtree.store.repositories.network import sponsor_tree

RETENTION_MONTHS = (3, 6, 12)
EARNINGS_NOTE = (
    "pay of finalized runs up to the as-of date against own orders placed by then; "
    "{apart} member(s) paid or buying in more than one currency are left out of the share"
)


@dataclass(frozen=True)
class Retention:
    months: int
    eligible: int  # sponsored members who joined at least ``months`` months ago
    still_active: int
    share: str | None  # percent with one decimal; None when nobody is eligible yet


@dataclass(frozen=True)
class CareMetrics:
    member_id: str
    as_of: date
    answered_requests: int
    unanswered_requests: int
    median_first_answer_seconds: float | None
    personally_sponsored: int
    retention: list[Retention]
    team_size: int
    team_earning_more_than_spent: str | None
    team_earning_note: str
    cohort_note: str = (
        "only members who joined at least N months before the as-of date count in the "
        "N-month denominator"
    )


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Each date plus ``months`` calendar months, the day clamped to the month's end."""
    month_start = days.astype("datetime64[M]")
    day_offset = days - month_start.astype("datetime64[D]")
    target = month_start + np.timedelta64(months, "M")
    last_day = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target.astype("datetime64[D]") + day_offset, last_day)


def retention(sponsored: dict[str, np.ndarray], as_of: date, months: int) -> Retention:
    horizon = add_months(sponsored["joined_on"], months)
    eligible = horizon <= np.datetime64(as_of, "D")
    stayed = sponsored["active"] | (sponsored["status_since"] > horizon)
    n_eligible = int(eligible.sum())
    n_stayed = int((eligible & stayed).sum())
    share = None
    if n_eligible:
        share = str((Decimal(n_stayed) * 100 / n_eligible).quantize(Decimal("0.1")))
    return Retention(months, n_eligible, n_stayed, share)


def earning_more_than_spent(
    session: Session, team_pks: np.ndarray, as_of: date
) -> tuple[str | None, int]:
    """Percent of ``team_pks`` whose pay exceeds their own spending, and how many were
    left out because their amounts are in more than one currency."""
    team = np.sort(team_pks)
    if team.size == 0:
        return None, 0
    earned = earnings_repo.finalized_earnings(session, as_of)
    spent = earnings_repo.own_order_spending(session, as_of)
    totals, mixed = [], np.zeros(team.size, dtype=bool)
    first_currency = np.full(team.size, "", dtype="<U3")
    for pks, currencies, amounts in (earned, spent):
        where = np.clip(np.searchsorted(team, pks), 0, team.size - 1)
        inside = team[where] == pks
        where, currencies, amounts = where[inside], currencies[inside], amounts[inside]
        total = np.zeros(team.size, dtype=np.int64)
        np.add.at(total, where, amounts)
        totals.append(total)
        # a member is comparable only while every row of theirs has one currency
        unset = first_currency[where] == ""
        first_currency[where[unset]] = currencies[unset]
        mixed[where[first_currency[where] != currencies]] = True
    comparable = ~mixed
    if not comparable.any():
        return None, int(team.size)
    ahead = int(((totals[0] > totals[1]) & comparable).sum())
    share = str((Decimal(ahead) * 100 / int(comparable.sum())).quantize(Decimal("0.1")))
    return share, int(mixed.sum())


def care_metrics(session: Session, leader: Member, as_of: date) -> CareMetrics:
    seconds, unanswered = help_repo.answer_times(session, leader.id)
    sponsored = help_repo.sponsored_members(session, leader.id)
    subtree_pks, _ = sponsor_tree.subtree(session, leader.id)
    team_pks = subtree_pks[subtree_pks != leader.id]
    share, apart = earning_more_than_spent(session, team_pks, as_of)
    return CareMetrics(
        member_id=leader.member_id,
        as_of=as_of,
        answered_requests=len(seconds),
        unanswered_requests=unanswered,
        median_first_answer_seconds=statistics.median(seconds) if seconds else None,
        personally_sponsored=int(sponsored["joined_on"].size),
        retention=[retention(sponsored, as_of, m) for m in RETENTION_MONTHS],
        team_size=int(team_pks.size),
        team_earning_more_than_spent=share,
        team_earning_note=EARNINGS_NOTE.format(apart=apart),
    )

"""Retention by joining cohort and top-earner persistence, over whole arrays.

Retention asks, of everyone who joined in a calendar year, how many were still members
and still buying 12 (and 24) months after joining. A cohort is reported only for the
horizon whose mark falls inside the statement's range, so every figure is observed,
never extrapolated; members who joined and left before the range count in their cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from fairtree.disclosure.figures import share

HORIZONS = (12, 24)


def month_index(days: np.ndarray) -> np.ndarray:
    """Months since year 0 of datetime64[D] values (NaT-free)."""
    months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return months + 1970 * 12


@dataclass(frozen=True)
class Retention:
    joined_in: int  # calendar year
    months_after: int
    members: int
    still_members: int
    still_members_share: Decimal
    still_buying: int
    still_buying_share: Decimal


@dataclass(frozen=True)
class MembershipFacts:
    """Every member ever (not only participants): ids, join and first leaving dates."""

    member_db_ids: np.ndarray  # int64 ascending
    joined_on: np.ndarray  # datetime64[D]
    left_on: np.ndarray  # datetime64[D]; far future when the member never left


def retention(
    members: MembershipFacts,
    first_month: int,
    end_month: int,
    buying_member_row: np.ndarray,
    buying_month: np.ndarray,
) -> list[Retention]:
    """Cohorts whose 12- or 24-month mark lies in months [first_month, end_month).

    ``buying_member_row``/``buying_month``: one entry per own purchase in the range
    (row into ``members``, month index); a member is still buying at the mark when they
    bought in the mark's month.
    """
    joined_month = month_index(members.joined_on)
    # A member is still a member at the mark if they had not left by the mark's first day.
    left_month = month_index(members.left_on)
    count = np.int64(members.member_db_ids.size)
    bought = np.unique(buying_month.astype(np.int64) * count + buying_member_row.astype(np.int64))
    rows_all = np.arange(members.member_db_ids.size, dtype=np.int64)
    result = []
    for horizon in HORIZONS:
        mark = joined_month + horizon
        in_range = (mark >= first_month) & (mark < end_month)
        if not in_range.any():
            continue
        years = joined_month[in_range] // 12
        still = left_month[in_range] >= mark[in_range]
        keys = mark[in_range] * count + rows_all[in_range]
        buying = still & np.isin(keys, bought, assume_unique=False)
        for year in np.unique(years):
            cohort = years == year
            size = int(cohort.sum())
            stayed = int((still & cohort).sum())
            bought_then = int((buying & cohort).sum())
            result.append(
                Retention(
                    joined_in=int(year),
                    months_after=horizon,
                    members=size,
                    still_members=stayed,
                    still_members_share=share(stayed, size),
                    still_buying=bought_then,
                    still_buying_share=share(bought_then, size),
                )
            )
    return sorted(result, key=lambda r: (r.months_after, r.joined_in))


@dataclass(frozen=True)
class TopGroup:
    percent: int
    last_year_members: int
    still_on_top: int
    still_on_top_share: Decimal


@dataclass(frozen=True)
class Persistence:
    """Of the previous range's top earners, how many are top earners again."""

    previous_starts_on: str
    previous_ends_on: str
    groups: list[TopGroup]


def top_members(member_db_ids: np.ndarray, pay: np.ndarray, percent: int) -> np.ndarray:
    """Ids of the best-paid ``percent`` (nearest rank, ties at the line all included,
    only those paid more than nothing)."""
    if pay.size == 0:
        return np.empty(0, dtype=np.int64)
    ordered = np.sort(pay)
    rank = max(1, -(-percent * pay.size // 100))
    line = ordered[pay.size - rank]
    return member_db_ids[(pay >= line) & (pay > 0)]


def persistence(
    previous_ids: np.ndarray,
    previous_pay: np.ndarray,
    current_ids: np.ndarray,
    current_pay: np.ndarray,
    previous_starts_on: str,
    previous_ends_on: str,
) -> Persistence:
    groups = []
    for percent in (1, 10):
        before = top_members(previous_ids, previous_pay, percent)
        now = top_members(current_ids, current_pay, percent)
        stayed = int(np.isin(before, now).sum())
        groups.append(TopGroup(percent, int(before.size), stayed, share(stayed, int(before.size))))
    return Persistence(previous_starts_on, previous_ends_on, groups)

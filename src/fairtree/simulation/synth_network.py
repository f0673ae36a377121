"""The network side of a synthetic company: who joins when, who recruits them, who leaves.

Recruiting mixes preferential attachment (a new member is recruited by whoever recruited
a random earlier member, so prolific recruiters keep recruiting) with recency (otherwise
a recent member is more likely than an old one). The result matches what published
data show: most members recruit nobody and a small minority recruits most members.
Churn is a mixture: some members try and quit within a few months, the rest leave slowly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairtree.genealogy.placement_bulk import place_all
from fairtree.simulation.company import MEMBER_STATUSES, Members

FAR_FUTURE = np.datetime64("9999-12-31", "D")
DAYS_PER_MONTH = 30.44

COUNTRIES = np.array(["US", "CA", "JP"])
COUNTRY_CURRENCIES = np.array(["USD", "CAD", "JPY"])
COUNTRY_SHARES = np.array([0.80, 0.12, 0.08])

FIRST_NAMES = np.array([
    "Alex", "Sam", "Jordan", "Maria", "Chen", "Aiko", "Liam", "Noah", "Emma", "Olivia", "Ava",
    "Mia", "Lucas", "Ethan", "Zoe", "Priya", "Ravi", "Sofia", "Mateo", "Hana", "Yuki", "Omar",
    "Fatima", "Grace", "Ben", "Chloe", "Diego", "Lena", "Marco", "Nora",
])  # fmt: skip
LAST_NAMES = np.array([
    "Smith", "Garcia", "Tanaka", "Nguyen", "Brown", "Martin", "Lee", "Kim", "Lopez", "Sato",
    "Wilson", "Patel", "O'Neil", "Smith, Jr.", 'Ray "Sunny"',
])  # fmt: skip


@dataclass(frozen=True)
class NetworkKnobs:
    """Tunable shape of the network (defaults give the shapes the tests check)."""

    growth_per_month: float = 0.25  # month m gets weight 1 + growth * m of the joiners
    preferential_share: float = 0.55  # chance the sponsor is copied from a random member
    recency_power: float = 0.5  # direct pick: earlier member at i * U**power
    quick_quitter_share: float = 0.30
    quick_quit_monthly: float = 0.25  # monthly hazard of quick quitters
    steady_quit_monthly: float = 0.03  # monthly hazard of everyone else
    identity_verified_share: float = 0.85


def month_bounds(start: np.datetime64, months: int) -> np.ndarray:
    """``months + 1`` boundaries: ``start``, then the first day of each following month."""
    firsts = (start.astype("datetime64[M]") + np.arange(1, months + 1)).astype("datetime64[D]")
    return np.concatenate([[start], firsts]).astype("datetime64[D]")


def join_dates(
    rng: np.random.Generator, members: int, bounds: np.ndarray, knobs: NetworkKnobs
) -> np.ndarray:
    """Sorted join dates: the founder on day one, the rest spread over the months."""
    months = bounds.shape[0] - 1
    weights = 1.0 + knobs.growth_per_month * np.arange(months)
    per_month = np.floor(weights / weights.sum() * (members - 1)).astype(np.int64)
    short = (members - 1) - int(per_month.sum())
    per_month[np.argsort(-(weights / weights.sum() * (members - 1) - per_month))[:short]] += 1
    month_of = np.repeat(np.arange(months), per_month)
    span = (bounds[1:] - bounds[:-1]).astype(np.int64)
    offsets = np.floor(rng.random(members - 1) * span[month_of]).astype(np.int64)
    days = np.sort(bounds[month_of] + offsets)
    return np.concatenate([[bounds[0]], days]).astype("datetime64[D]")


def choose_sponsors(rng: np.random.Generator, members: int, knobs: NetworkKnobs) -> np.ndarray:
    """Sponsor of each member (``sponsor[i] < i``, ``-1`` for the founder), vectorized.

    Member ``i`` either copies the sponsor of a random earlier non-founder ``u`` (chance
    proportional to how many each member already recruited), or picks an earlier member
    directly, biased to recent ones. Copies of copies resolve by pointer jumping.
    """
    index = np.arange(members, dtype=np.int64)
    copies = rng.random(members) < knobs.preferential_share
    copies[:2] = False  # member 1 has no earlier recruit to copy from
    direct = np.floor(index * rng.random(members) ** knobs.recency_power).astype(np.int64)
    copied_from = 1 + np.floor((index - 1) * rng.random(members)).astype(np.int64)
    target = np.where(copies, copied_from, direct)
    sponsor = np.where(copies, -2, direct)
    sponsor[0] = -1
    pending = np.flatnonzero(copies)
    while pending.size:
        source = target[pending]
        ready = sponsor[source] != -2
        sponsor[pending[ready]] = sponsor[source[ready]]
        waiting = pending[~ready]
        target[waiting] = target[target[waiting]]  # i copies u, u copies v: i copies v
        pending = waiting
    return sponsor


def leave_dates(rng: np.random.Generator, joined_on: np.ndarray, knobs: NetworkKnobs) -> np.ndarray:
    """When each member stops (FAR_FUTURE for the founder): exponential survival by type."""
    members = joined_on.shape[0]
    hazard = np.where(
        rng.random(members) < knobs.quick_quitter_share,
        knobs.quick_quit_monthly,
        knobs.steady_quit_monthly,
    )
    stay_days = np.ceil(rng.exponential(1.0 / hazard) * DAYS_PER_MONTH).astype(np.int64)
    left_on = joined_on + np.maximum(stay_days, 1)
    left_on[0] = FAR_FUTURE
    return left_on


def reattach_to_present_upline(
    sponsor: np.ndarray, joined_on: np.ndarray, left_on: np.ndarray
) -> None:
    """A member who has left recruits nobody: move such recruits up to the first upline
    still there on the join day (the founder always is)."""
    orphan = np.flatnonzero(left_on[np.maximum(sponsor, 0)] <= joined_on)
    orphan = orphan[sponsor[orphan] >= 0]
    while orphan.size:
        sponsor[orphan] = sponsor[sponsor[orphan]]
        still = left_on[sponsor[orphan]] <= joined_on[orphan]
        orphan = orphan[still]


def generate_members(
    rng: np.random.Generator,
    members: int,
    bounds: np.ndarray,
    placement: str,
    binary_rule: str,
    matrix_width: int,
    knobs: NetworkKnobs,
) -> Members:
    """All members with their sponsors, placement, statuses and profile."""
    end = bounds[-1]
    joined_on = join_dates(rng, members, bounds, knobs)
    sponsor = choose_sponsors(rng, members, knobs)
    left_on = leave_dates(rng, joined_on, knobs)
    reattach_to_present_upline(sponsor, joined_on, left_on)
    parent, position = place_all(sponsor, placement, binary_rule, matrix_width)

    gone = left_on < end
    gone_status = rng.choice(np.arange(1, 4), size=members, p=[0.70, 0.25, 0.05])
    status = np.asarray(MEMBER_STATUSES)[np.where(gone, gone_status, 0)]
    status_since = np.where(gone, left_on, joined_on)

    country_code = rng.choice(len(COUNTRIES), size=members, p=COUNTRY_SHARES)
    country_code[0] = 0
    first = FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), members)]
    last = LAST_NAMES[rng.integers(0, len(LAST_NAMES), members)]
    display_name = np.strings.add(np.strings.add(first, " "), last)
    return Members(
        sponsor=sponsor,
        placement_parent=parent,
        placement_position=position,
        joined_on=joined_on,
        status=status,
        status_since=status_since.astype("datetime64[D]"),
        country=COUNTRIES[country_code],
        currency=COUNTRY_CURRENCIES[country_code],
        display_name=display_name,
        identity_verified=rng.random(members) < knobs.identity_verified_share,
        left_on=left_on,
    )

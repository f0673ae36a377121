"""Grow the simulated people month by month: who joins, who recruited them, who leaves.

The network does not depend on the plan, so two plans run on the same people. Each
month: members leave with their tenure's hazard (from month 1 on; the founder stays),
then Poisson(rate x present x (1 - joined / market)) people join, each recruited by a
present member (or an earlier joiner of the same month) chosen with probability
proportional to a weight: 1 (uniform: a random recursive tree when nobody leaves),
recruits + offset (preferential; recruit counts are updated at each month's end), or a
per-member propensity (super-recruiters). A loop over months, numpy within a month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairtree.genealogy.placement_bulk import place_all
from fairtree.simulation.scenario import Scenario

NEVER = np.iinfo(np.int32).max


@dataclass(frozen=True)
class Population:
    """Everyone who ever joined, in join order (``sponsor[i] < i``; -1 for the founder)."""

    sponsor: np.ndarray  # int64
    join_month: np.ndarray  # int32, 0-based month of the simulation
    left_month: np.ndarray  # int32: first month no longer present (NEVER if stayed)
    joined_on: np.ndarray  # datetime64[D]
    placement_parent: np.ndarray | None  # int64 (None without a placement tree)
    placement_position: np.ndarray | None  # int8
    customers: np.ndarray  # int32 retail customers of each member
    super_recruiter: np.ndarray  # bool
    months: int

    def __len__(self) -> int:
        return int(self.sponsor.shape[0])

    def joined_by(self, month: int) -> int:
        """How many joined in months ``0..month`` (a prefix: join order is index order)."""
        return int(np.searchsorted(self.join_month, month, side="right"))

    def present(self, month: int) -> np.ndarray:
        """Members present in ``month`` among the first ``joined_by(month)``."""
        return self.left_month[: self.joined_by(month)] > month

    def recruits(self) -> np.ndarray:
        """Members each member recruited."""
        return np.bincount(self.sponsor[1:], minlength=len(self)).astype(np.int64)


class _Columns:
    """Growable int/float columns (capacity doubles), so a month appends in O(joiners)."""

    def __init__(self, **dtypes: str) -> None:
        self.size = 0
        self.data = {name: np.zeros(1024, dtype=dtype) for name, dtype in dtypes.items()}

    def append(self, **values: np.ndarray) -> None:
        count = next(iter(values.values())).shape[0]
        needed = self.size + count
        for name, column in self.data.items():
            if needed > column.shape[0]:
                grown = np.zeros(max(needed, 2 * column.shape[0]), dtype=column.dtype)
                grown[: self.size] = column[: self.size]
                self.data[name] = column = grown
            column[self.size : needed] = values[name]
        self.size = needed

    def __getitem__(self, name: str) -> np.ndarray:
        return self.data[name][: self.size]


def choose_sponsors(
    rng: np.random.Generator,
    present: np.ndarray,
    present_weight: np.ndarray,
    first_new: int,
    new_weight: np.ndarray,
) -> np.ndarray:
    """Sponsor of each of this month's joiners, in order: joiner ``t`` picks among the
    present members and joiners ``0..t-1`` with probability proportional to weight."""
    cum_present = np.cumsum(present_weight, dtype=np.float64)
    total_present = cum_present[-1]
    cum_new = np.cumsum(new_weight, dtype=np.float64)
    earlier_new = np.concatenate([[0.0], cum_new[:-1]])
    draw = rng.random(new_weight.shape[0]) * (total_present + earlier_new)
    sponsor = np.empty(new_weight.shape[0], dtype=np.int64)
    old = draw < total_present
    picked = np.searchsorted(cum_present, draw[old], side="right")
    sponsor[old] = present[np.minimum(picked, present.shape[0] - 1)]
    late = np.flatnonzero(~old)
    picked = np.searchsorted(cum_new, draw[late] - total_present, side="right")
    sponsor[late] = first_new + np.minimum(picked, late - 1)
    return sponsor


def _weights(scenario: Scenario, recruits: np.ndarray, is_super: np.ndarray) -> np.ndarray:
    recruitment = scenario.recruitment
    if recruitment.model == "preferential":
        return recruits.astype(np.float64) + recruitment.preferential.offset
    if recruitment.model == "super_recruiters":
        return np.where(is_super, recruitment.super_recruiters.weight, 1.0)
    return np.ones(recruits.shape[0], dtype=np.float64)


def _newcomers(rng: np.random.Generator, scenario: Scenario, count: int) -> dict[str, np.ndarray]:
    retail = scenario.ordering.retail
    has_customers = rng.random(count) < retail.share_with_customers
    customers = 1 + rng.poisson(retail.mean_customers - 1, count)
    is_super = rng.random(count) < scenario.recruitment.super_recruiters.share
    if scenario.recruitment.model != "super_recruiters":
        is_super[:] = False
    return {"customers": np.where(has_customers, customers, 0), "super": is_super}


def grow(scenario: Scenario, months: int, rng: np.random.Generator) -> Population:
    """Everyone who joins over ``months`` months, and when each leaves."""
    cols = _Columns(
        sponsor="int64", join_month="int32", left_month="int32", customers="int32", super="bool"
    )
    recruits = np.zeros(0, dtype=np.int64)
    market = scenario.market.size
    churn = scenario.churn
    for month in range(months):
        if month == 0:
            first = _newcomers(rng, scenario, scenario.starting_members)
            first["super"][0] = False
            weights = _weights(scenario, np.zeros(first["super"].shape[0]), first["super"])
            sponsor = np.full(scenario.starting_members, -1, dtype=np.int64)
            if scenario.starting_members > 1:
                sponsor[1:] = choose_sponsors(
                    rng, np.zeros(1, np.int64), weights[:1], 1, weights[1:]
                )
            cols.append(
                sponsor=sponsor,
                join_month=np.zeros(sponsor.shape[0], np.int32),
                left_month=np.full(sponsor.shape[0], NEVER, np.int32),
                customers=first["customers"],
                super=first["super"],
            )
            present = np.arange(cols.size, dtype=np.int64)
        else:
            tenure = month - cols["join_month"][present]
            hazard = np.where(tenure < 12, churn.first_year_monthly, churn.later_monthly)
            leaves = rng.random(present.shape[0]) < hazard
            leaves[present == 0] = False
            cols["left_month"][present[leaves]] = month
            present = present[~leaves]
        recruits = np.bincount(cols["sponsor"][1:], minlength=cols.size).astype(np.int64)
        saturation = 1.0 if market is None else max(0.0, 1.0 - cols.size / market)
        count = int(rng.poisson(scenario.recruitment.monthly_rate * present.shape[0] * saturation))
        if market is not None:
            count = min(count, market - cols.size)
        if count <= 0:
            continue
        new = _newcomers(rng, scenario, count)
        weights = _weights(scenario, recruits[present], cols["super"][present])
        new_weights = _weights(scenario, np.zeros(count, np.int64), new["super"])
        sponsor = choose_sponsors(rng, present, weights, cols.size, new_weights)
        first_new = cols.size
        cols.append(
            sponsor=sponsor,
            join_month=np.full(count, month, np.int32),
            left_month=np.full(count, NEVER, np.int32),
            customers=new["customers"],
            super=new["super"],
        )
        present = np.concatenate([present, np.arange(first_new, cols.size, dtype=np.int64)])
    return _finish(scenario, cols, months, rng)


def _finish(
    scenario: Scenario, cols: _Columns, months: int, rng: np.random.Generator
) -> Population:
    join_month = cols["join_month"].copy()
    month_start = (np.datetime64(scenario.start, "M") + join_month.astype("timedelta64[M]")).astype(
        "datetime64[D]"
    )
    month_end = (
        np.datetime64(scenario.start, "M") + (join_month + 1).astype("timedelta64[M]")
    ).astype("datetime64[D]")
    span = (month_end - month_start).astype(np.int64)
    day = np.floor(rng.random(join_month.shape[0]) * span).astype(np.int64)
    day[: scenario.starting_members] = 0
    # join order is index order: days ascend within each month
    day = _sorted_within(join_month, day)
    placement = scenario.placement
    parent: np.ndarray | None = None
    position: np.ndarray | None = None
    if placement.kind != "none":
        parent, position = place_all(
            cols["sponsor"], placement.kind, placement.binary_rule, placement.matrix_width
        )
    return Population(
        sponsor=cols["sponsor"].copy(),
        join_month=join_month,
        left_month=cols["left_month"].copy(),
        joined_on=month_start + day.astype("timedelta64[D]"),
        placement_parent=parent,
        placement_position=position,
        customers=cols["customers"].copy(),
        super_recruiter=cols["super"].copy(),
        months=months,
    )


def _sorted_within(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` sorted ascending inside each run of equal ``group`` (already grouped)."""
    order = np.lexsort((values, group))
    return values[order]

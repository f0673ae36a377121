"""Binary leg volumes and carry of the members a placement-tree level shows, as the
close stored them.

The close stores, per run and member, a binary bonus's carry-out (``run_carry_values``,
``<bonus>.left`` / ``<bonus>.right``) and the two leg volumes its settlement compared
(carry-in plus the period's new volume per side, ``shown:<bonus>.left_volume`` /
``.right_volume``), both straight from the engine's settlement: the figures shown are
the ones the bonus paid on. A period with a run (finalized, else its draft) shows that
run's legs and carry-out; a period with no run yet (the open one) shows the legs of the
latest finalized run before it and what that run carried into the period, labelled
with its period. Live legs of the open period are not shown: a leg's volume is a sum
over the whole placement subtree, which no request may walk.

A few small queries per level, each by index, whatever the company's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.periods import Period
from fairtree.services.commissions.period_plan import plan_on
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import runs


@dataclass(frozen=True)
class BinarySource:
    """Which run a placement level's binary figures come from."""

    bonus: str  # the plan's binary bonus id
    period: str | None  # the run's period key; None: no run before the shown period
    status: str | None  # "finalized" or "draft"
    own_period: bool  # the shown period's own run, else the latest finalized before it
    legs_kept: bool  # the run stored leg volumes (runs closed before they were kept: no)


@dataclass(frozen=True)
class LevelBinary:
    """Per member pk: (left, right) carry and leg volumes, hundredths of a point."""

    source: BinarySource
    carry: dict[int, tuple[int, int]]
    legs: dict[int, tuple[int, int]]  # empty when the run kept none


def level_binary(session: Session, period: Period, member_pks: list[int]) -> LevelBinary | None:
    """The level's binary figures; None when the plan in force has no binary bonus."""
    try:
        plan = plan_on(session, period.start)
    except NotFoundError:
        return None
    binary = [bonus.id for bonus in plan.bonuses if bonus.kind == "binary"]
    if not binary or not member_pks:
        return None
    bonus = binary[0]
    company = company_repo.the_company(session)
    run = runs.find_run(session, company.id, period.key, "finalized") or runs.find_run(
        session, company.id, period.key, "draft"
    )
    own = run is not None
    if run is None:
        before = runs.finalized_runs(session, company.id, period.start)
        run = before[-1] if before else None
    carry_keys = [f"{bonus}.left", f"{bonus}.right"]
    leg_keys = [f"{runs.SHOWN}{bonus}.left_volume", f"{runs.SHOWN}{bonus}.right_volume"]
    pks = np.array(sorted(set(member_pks)), dtype=np.int64)
    values = runs.carry_values(session, run.id, pks, carry_keys + leg_keys) if run else {}
    legs_kept = run is not None and runs.has_any_key(session, run.id, leg_keys)
    source = BinarySource(
        bonus,
        run.period_key if run else None,
        run.status if run else None,
        own,
        legs_kept,
    )
    carry = _pairs(pks, values, carry_keys)
    return LevelBinary(source, carry, _pairs(pks, values, leg_keys) if legs_kept else {})


def _pairs(
    pks: np.ndarray, values: dict[str, np.ndarray], keys: list[str]
) -> dict[int, tuple[int, int]]:
    zeros = np.zeros(pks.size, dtype=np.int64)
    left, right = (values.get(key, zeros) for key in keys)
    return {int(pk): (int(left[i]), int(right[i])) for i, pk in enumerate(pks.tolist())}

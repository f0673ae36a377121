"""Binary carry of the members a placement-tree level shows, as the close stored it.

The close stores each member's carry-out of a binary bonus per run (``run_carry_values``,
``<bonus>.left`` / ``<bonus>.right``, written from the engine's settlement). A period
with a run (finalized, else its draft) shows what that run carried out of the period;
a period with no run yet (the open one) shows what the latest finalized run before it
carried in. One query for a level's members.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.periods import Period
from fairtree.services.commissions.period_plan import plan_on
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import runs


def level_carry(
    session: Session, period: Period, member_pks: list[int]
) -> tuple[dict[int, tuple[int, int]], str | None]:
    """(left, right) carry per member pk and what it is; ``({}, None)`` when the plan in
    force has no binary bonus."""
    try:
        plan = plan_on(session, period.start)
    except NotFoundError:
        return {}, None
    binary = [bonus.id for bonus in plan.bonuses if bonus.kind == "binary"]
    if not binary or not member_pks:
        return {}, None
    bonus = binary[0]
    company = company_repo.the_company(session)
    run = runs.find_run(session, company.id, period.key, "finalized") or runs.find_run(
        session, company.id, period.key, "draft"
    )
    if run is not None:
        run_id: int | None = run.id
        note = f"{bonus} carry out of this period ({run.status} run), left / right"
    else:
        run_id = runs.latest_finalized_before(session, company.id, period.start)
        note = f"{bonus} carry into this period (from the last finalized run), left / right"
    pks = np.array(sorted(set(member_pks)), dtype=np.int64)
    values = runs.carry_values(session, run_id, pks) if run_id is not None else {}
    zeros = np.zeros(pks.size, dtype=np.int64)
    left = values.get(f"{bonus}.left", zeros)
    right = values.get(f"{bonus}.right", zeros)
    return {int(pk): (int(left[i]), int(right[i])) for i, pk in enumerate(pks.tolist())}, note

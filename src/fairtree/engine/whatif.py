"""What-if: the same period under two plans, compared per member, per bonus, in total."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairtree.engine.evaluate import evaluate
from fairtree.engine.inputs import EngineInput
from fairtree.engine.result import Evaluation
from fairtree.genealogy.tree import build_tree
from fairtree.periods import Period
from fairtree.plans.load import PlanDocument
from fairtree.plans.schema import Plan


@dataclass(frozen=True)
class BonusChange:
    bonus_id: str
    before: int  # minor units paid (0 when the bonus is not in that plan)
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class MemberChange:
    member: str
    before: int
    after: int
    by_bonus: dict[str, int]  # bonus id -> change in minor units (non-zero only)

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class PlanDiff:
    before: Evaluation
    after: Evaluation

    @property
    def bonus_ids(self) -> list[str]:
        ids = list(self.before.bonus_ids)
        return ids + [b for b in self.after.bonus_ids if b not in ids]

    def _pay(self, result: Evaluation, bonus_id: str) -> np.ndarray:
        if bonus_id in result.outcomes and not result.outcomes[bonus_id].report_only:
            return result.outcomes[bonus_id].pay
        return np.zeros(result.member_ids.shape[0], dtype=np.int64)

    def bonuses(self) -> list[BonusChange]:
        return [
            BonusChange(
                b, int(self._pay(self.before, b).sum()), int(self._pay(self.after, b).sum())
            )
            for b in self.bonus_ids
        ]

    @property
    def total_before(self) -> int:
        return self.before.total_paid()

    @property
    def total_after(self) -> int:
        return self.after.total_paid()

    def members_changed(self) -> int:
        return int((self.before.member_total() != self.after.member_total()).sum())

    def members(self, limit: int | None = None) -> list[MemberChange]:
        """Members whose pay changed, largest change first (ties by member id)."""
        before, after = self.before.member_total(), self.after.member_total()
        changed = np.flatnonzero(before != after)
        ids = self.before.member_ids
        ordering = np.lexsort((ids[changed].astype(str), -np.abs(after[changed] - before[changed])))
        rows = changed[ordering][:limit]
        out = []
        for row in rows:
            by_bonus = {
                b: int(self._pay(self.after, b)[row] - self._pay(self.before, b)[row])
                for b in self.bonus_ids
            }
            out.append(
                MemberChange(
                    member=str(ids[row]),
                    before=int(before[row]),
                    after=int(after[row]),
                    by_bonus={b: d for b, d in by_bonus.items() if d},
                )
            )
        return out


def diff_plans(
    inputs: EngineInput,
    before: Plan | PlanDocument,
    after: Plan | PlanDocument,
    period: Period,
) -> PlanDiff:
    """Evaluate ``period`` under both plans (the network is built once)."""
    tree = build_tree(inputs.members.sponsor, ids=inputs.members.ids)
    return PlanDiff(
        before=evaluate(inputs, before, period, tree=tree),
        after=evaluate(inputs, after, period, tree=tree),
    )

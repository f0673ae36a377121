"""What an evaluation returns: pay per member per bonus, pool and breakage per bonus,
ranks, volumes and the carry-out state for the next period."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fairtree.engine.inputs import CarryState


@dataclass(frozen=True)
class CreditLine:
    """An amount a bonus reports to someone outside the pay array, never paid as
    commission: e.g. a party host's reward credit (the host may be a retail customer).

    ``amount = rate x base`` rounded once by the plan's rule; ``base`` is minor units.
    """

    bonus_id: str
    party: str
    holder: str  # member or customer id
    holder_is_member: bool
    base: int
    rate: int  # RATE_SCALE units
    amount: int
    note: str = ""


@dataclass(frozen=True)
class BonusOutcome:
    """One bonus over the network, in the evaluating context's member order.

    ``pool`` is what the rule puts up (rounded once); ``breakage = pool - pay.sum()``
    is what it did not pay (unqualified receivers, missing uplines, rounding).
    ``report_only`` bonuses (retail profit) are shown but not paid by the company.
    """

    pay: np.ndarray  # int64 minor units per member
    pool: int
    carry_out: dict[str, np.ndarray] = field(default_factory=dict)
    report_only: bool = False
    credits: tuple[CreditLine, ...] = ()  # reported beside pay, not commission

    @property
    def paid(self) -> int:
        return int(self.pay.sum())

    @property
    def breakage(self) -> int:
        return self.pool - self.paid


@dataclass(frozen=True)
class Evaluation:
    """Results in input order (row ``i`` is ``member_ids[i]``)."""

    member_ids: np.ndarray
    bonus_ids: tuple[str, ...]
    outcomes: dict[str, BonusOutcome]  # pay arrays in input order
    paid_as: np.ndarray  # int16 rank index, 0 = none
    highest: np.ndarray  # int16
    active: np.ndarray  # bool
    pv: np.ndarray  # int64 hundredths
    bv: np.ndarray
    group_volume: np.ndarray
    carry_out: CarryState
    rank_names: tuple[str, ...]

    def pay(self, bonus_id: str) -> np.ndarray:
        return self.outcomes[bonus_id].pay

    def member_total(self) -> np.ndarray:
        """Company-paid total per member (report-only bonuses excluded)."""
        total = np.zeros(self.member_ids.shape[0], dtype=np.int64)
        for outcome in self.outcomes.values():
            if not outcome.report_only:
                total += outcome.pay
        return total

    def total_paid(self) -> int:
        return int(self.member_total().sum())

    def rank_name(self, index: int) -> str | None:
        return self.rank_names[index - 1] if index > 0 else None

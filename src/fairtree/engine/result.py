"""What an evaluation returns: pay per member per bonus, pool and breakage per bonus,
ranks, volumes and the carry-out state for the next period."""

from __future__ import annotations

import dataclasses
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
    # per-member figures a run keeps beside its carry for display only, never carried
    # into the next period (binary: the leg volumes the settlement compared)
    shown: dict[str, np.ndarray] = field(default_factory=dict)
    report_only: bool = False
    credits: tuple[CreditLine, ...] = ()  # reported beside pay, not commission

    @property
    def paid(self) -> int:
        return int(self.pay.sum())

    @property
    def breakage(self) -> int:
        return self.pool - self.paid


_MEMBER_ARRAYS = ("paid_as", "highest", "active", "pv", "bv", "group_volume")


class Evaluation:
    """Results in input order (row ``i`` is ``member_ids[i]``).

    The engine computes in sponsor preorder; arrays are put back in input order only
    when first read (``back`` maps input row -> preorder position), so totals and the
    figures a caller never reads cost no gathers over ten million members.
    """

    def __init__(
        self,
        *,
        member_ids: np.ndarray,
        bonus_ids: tuple[str, ...],
        outcomes: dict[str, BonusOutcome],
        paid_as: np.ndarray,  # int16 rank index, 0 = none
        highest: np.ndarray,  # int16
        active: np.ndarray,  # bool
        pv: np.ndarray,  # int64 hundredths
        bv: np.ndarray,
        group_volume: np.ndarray,
        carry_out: CarryState,
        rank_names: tuple[str, ...],
        back: np.ndarray | None = None,  # None: the arrays are already in input order
    ) -> None:
        self.member_ids = member_ids
        self.bonus_ids = bonus_ids
        self.rank_names = rank_names
        self._back = back
        self._outcomes = outcomes
        self._carry = carry_out
        self._arrays = dict(
            paid_as=paid_as, highest=highest, active=active, pv=pv, bv=bv, group_volume=group_volume
        )
        self._mapped: dict[str, object] = {}

    def _in_input_order(self, values: np.ndarray) -> np.ndarray:
        return values if self._back is None else values[self._back]

    def _member_array(self, name: str) -> np.ndarray:
        if name not in self._mapped:
            self._mapped[name] = self._in_input_order(self._arrays[name])
        return self._mapped[name]  # type: ignore[return-value]

    paid_as = property(lambda self: self._member_array("paid_as"))
    highest = property(lambda self: self._member_array("highest"))
    active = property(lambda self: self._member_array("active"))
    pv = property(lambda self: self._member_array("pv"))
    bv = property(lambda self: self._member_array("bv"))
    group_volume = property(lambda self: self._member_array("group_volume"))

    @property
    def outcomes(self) -> dict[str, BonusOutcome]:
        """Per bonus: pay in input order, pool, carry-out (mapped on first read)."""
        if "outcomes" not in self._mapped:
            self._mapped["outcomes"] = {b: self._outcome(b) for b in self._outcomes}
        return self._mapped["outcomes"]  # type: ignore[return-value]

    def _outcome(self, bonus_id: str) -> BonusOutcome:
        outcome = self._outcomes[bonus_id]
        if self._back is None:
            return outcome
        # replace() keeps every other field of the outcome (pool, flags, reports)
        return dataclasses.replace(
            outcome,
            pay=self._in_input_order(outcome.pay),
            carry_out={k: self._in_input_order(v) for k, v in outcome.carry_out.items()},
            shown={k: self._in_input_order(v) for k, v in outcome.shown.items()},
        )

    @property
    def carry_out(self) -> CarryState:
        if "carry_out" not in self._mapped:
            self._mapped["carry_out"] = CarryState(
                highest_rank=self._in_input_order(self._carry.highest_rank),
                values={k: self._in_input_order(v) for k, v in self._carry.values.items()},
            )
        return self._mapped["carry_out"]  # type: ignore[return-value]

    @property
    def shown(self) -> dict[str, np.ndarray]:
        """Every bonus's display figures as ``<bonus>.<name>``, in input order."""
        return {
            f"{bonus_id}.{key}": value
            for bonus_id, outcome in self.outcomes.items()
            for key, value in outcome.shown.items()
        }

    def pay(self, bonus_id: str) -> np.ndarray:
        return self.outcomes[bonus_id].pay

    def paid(self, bonus_id: str) -> int:
        """Total paid by one bonus (no reordering needed)."""
        return self._outcomes[bonus_id].paid

    def member_total(self) -> np.ndarray:
        """Company-paid total per member (report-only bonuses excluded)."""
        total = np.zeros(self.member_ids.shape[0], dtype=np.int64)
        for outcome in self._outcomes.values():
            if not outcome.report_only:
                total += outcome.pay
        return self._in_input_order(total)

    def total_paid(self) -> int:
        return sum(o.paid for o in self._outcomes.values() if not o.report_only)

    def rank_name(self, index: int) -> str | None:
        return self.rank_names[index - 1] if index > 0 else None

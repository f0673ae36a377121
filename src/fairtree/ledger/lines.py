"""Turn an engine evaluation into payout lines: one per member per paid bonus.

Lines are column arrays in a fixed order (member database id, then the plan's bonus
order), so the same facts always give the same lines and the same digest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from fairtree.engine.result import Evaluation


@dataclass(frozen=True)
class RunLines:
    """Payout lines as columns; ``explanation_ref`` names the engine trace of each."""

    member_db_id: np.ndarray  # int64
    member_ids: np.ndarray  # object: external member id
    bonus_id: np.ndarray  # object
    amount: np.ndarray  # int64 minor units

    def __len__(self) -> int:
        return int(self.amount.shape[0])

    def explanation_refs(self, period_key: str) -> np.ndarray:
        return np.array(
            [
                f"{period_key}/{m}/{b}"
                for m, b in zip(self.member_ids.tolist(), self.bonus_id.tolist(), strict=True)
            ],
            dtype=object,
        )

    def total(self) -> int:
        return int(self.amount.sum())


def evaluation_lines(evaluation: Evaluation, member_db_ids: np.ndarray) -> RunLines:
    """Every non-zero company-paid amount (report-only bonuses are not paid lines)."""
    members, bonuses, amounts = [], [], []
    for bonus_id in evaluation.bonus_ids:
        outcome = evaluation.outcomes[bonus_id]
        if outcome.report_only:
            continue
        rows = np.flatnonzero(outcome.pay != 0)
        members.append(rows)
        bonuses.append(np.full(rows.size, bonus_id, dtype=object))
        amounts.append(outcome.pay[rows].astype(np.int64))
    if not members:
        empty = np.zeros(0, dtype=np.int64)
        return RunLines(empty, np.zeros(0, dtype=object), np.zeros(0, dtype=object), empty)
    row = np.concatenate(members)
    bonus = np.concatenate(bonuses)
    amount = np.concatenate(amounts)
    bonus_rank = np.concatenate([np.full(m.size, i, dtype=np.int64) for i, m in enumerate(members)])
    order = np.lexsort((bonus_rank, member_db_ids[row]))
    return RunLines(
        member_db_id=member_db_ids[row][order],
        member_ids=evaluation.member_ids[row][order],
        bonus_id=bonus[order],
        amount=amount[order],
    )


def lines_digest(member_ids: list[str], bonus_ids: list[str], amounts: list[int]) -> str:
    """sha256 over the lines in order: equal digests mean identical lines."""
    digest = hashlib.sha256()
    for member, bonus, amount in zip(member_ids, bonus_ids, amounts, strict=True):
        digest.update(f"{member}\x1f{bonus}\x1f{amount}\n".encode())
    return digest.hexdigest()

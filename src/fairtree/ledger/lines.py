"""Turn an engine evaluation into payout lines: one per member per paid bonus.

Lines are column arrays in a fixed order (member database id, then the plan's bonus
order), so the same facts always give the same lines and the same digest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
        """``PERIOD/MEMBER/BONUS`` per line (vectorized string join)."""
        if len(self) == 0:
            return np.zeros(0, dtype=object)
        period = pa.array(np.full(len(self), period_key, dtype=object), pa.string())
        members = pa.array(self.member_ids.astype(str), pa.string())
        bonuses = pa.array(self.bonus_id.astype(str), pa.string())
        joined = pc.binary_join_element_wise(period, members, bonuses, "/")
        return joined.to_numpy(zero_copy_only=False).astype(object)

    def digest(self, extra: str = "") -> str:
        """sha256 over member ids, bonuses and amounts in order (plus ``extra`` text)."""
        bonus_names, bonus_codes = np.unique(self.bonus_id.astype(str), return_inverse=True)
        digest = hashlib.sha256()
        digest.update(self.member_db_id.astype("<i8").tobytes())
        digest.update(bonus_codes.astype("<i8").tobytes())
        digest.update(self.amount.astype("<i8").tobytes())
        digest.update("\x1f".join(bonus_names.tolist()).encode())
        digest.update(extra.encode())
        return digest.hexdigest()

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

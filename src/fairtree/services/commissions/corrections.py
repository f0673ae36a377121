"""Corrections: late orders and returns that touch a finalized period.

For every finalized period before the one being closed whose facts changed (the count
or ids of its orders differ from what its run saw), recompute that period with today's
facts, compare per member and bonus with everything already paid for it (its lines plus
earlier adjustments), and post the difference as adjustment lines in the period being
closed. Each adjustment points at the original line it corrects and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from fairtree.ledger.lines import evaluation_lines
from fairtree.periods import Period
from fairtree.store.models import Company
from fairtree.store.repositories.commissions import corrections as queries
from fairtree.store.repositories.commissions import runs
from fairtree.store.repositories.network import members as members_repo

MAX_LISTED_ORDERS = 20


@dataclass
class Adjustments:
    """Adjustment lines as columns, ready to insert."""

    member_db_ids: list[int] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)
    bonus_ids: list[str] = field(default_factory=list)
    amounts: list[int] = field(default_factory=list)
    corrects_line: list[int | None] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.amounts)

    def total(self) -> int:
        return sum(self.amounts)

    def bonus_and_period(self) -> list[tuple[str, str]]:
        return list(zip(self.bonus_ids, self.periods, strict=True))

    def columns(self) -> dict[str, np.ndarray]:
        return {
            "member_id": np.array(self.member_db_ids, dtype=np.int64),
            "bonus_id": np.array(self.bonus_ids, dtype=object),
            "kind": np.full(len(self), "adjustment", dtype=object),
            "amount": np.array(self.amounts, dtype=np.int64),
            "explanation_ref": np.array(
                [
                    f"{p}/{m}/{b}"
                    for p, m, b in zip(self.periods, self.member_ids, self.bonus_ids, strict=True)
                ],
                dtype=object,
            ),
            "corrects_line_id": np.array(self.corrects_line, dtype=object),
            "corrects_period_key": np.array(self.periods, dtype=object),
            "reason": np.array(self.reasons, dtype=object),
        }


def corrections_for(
    session: Session,
    company: Company,
    period: Period,
    evaluate_period: Callable[..., Any],
    plan_for: Callable[..., Any],
) -> Adjustments:
    """Adjustment lines for every finalized period before ``period`` whose facts changed."""
    adjustments = Adjustments()
    for run in runs.finalized_runs(session, company.id, before=period.start):
        now = queries.orders_fingerprint(session, run.starts_on, run.ends_on)
        if now == (run.orders_count, run.orders_id_sum):
            continue
        earlier = Period.parse(run.period_key)
        _, document = plan_for(session, company, earlier)
        facts, evaluation = evaluate_period(session, company, earlier, document)
        lines = evaluation_lines(evaluation, facts.member_db_ids)
        late = queries.late_order_ids(session, run.starts_on, run.ends_on, run.orders_through_id)
        reason = _reason(run.period_key, late)
        _diff_into(adjustments, session, company.id, run.period_key, lines, reason)
    return adjustments


def _reason(period_key: str, late: list[str]) -> str:
    if not late:
        return f"facts of {period_key} changed after it was finalized"
    listed = ", ".join(late[:MAX_LISTED_ORDERS])
    more = f" and {len(late) - MAX_LISTED_ORDERS} more" if len(late) > MAX_LISTED_ORDERS else ""
    return f"orders or returns of {period_key} recorded after it was finalized: {listed}{more}"


def _diff_into(
    out: Adjustments,
    session: Session,
    company_id: int,
    period_key: str,
    lines: Any,
    reason: str,
) -> None:
    """Append (recomputed - already paid) per member and bonus, where it is not zero.

    Keys are member id x bonus code as int64, so matching is sorted-array arithmetic;
    only the changed pairs are visited one by one.
    """
    paid_member, paid_bonus, paid_amount, paid_line = queries.paid_for_period(
        session, company_id, period_key
    )
    bonus_names = np.unique(np.concatenate([lines.bonus_id, paid_bonus]).astype(str))
    width = max(bonus_names.size, 1)

    def keys_of(members: np.ndarray, bonuses: np.ndarray) -> np.ndarray:
        codes = np.searchsorted(bonus_names, bonuses.astype(str))
        return members.astype(np.int64) * width + codes

    new_keys = keys_of(lines.member_db_id, lines.bonus_id)
    old_keys = keys_of(paid_member, paid_bonus)
    keys = np.union1d(new_keys, old_keys)
    if keys.size == 0:
        return
    new_amount = np.zeros(keys.size, dtype=np.int64)
    old_amount = np.zeros(keys.size, dtype=np.int64)
    original = np.full(keys.size, -1, dtype=np.int64)
    new_amount[np.searchsorted(keys, new_keys)] = lines.amount
    where = np.searchsorted(keys, old_keys)
    old_amount[where] = paid_amount
    original[where] = paid_line
    changed = np.flatnonzero(new_amount != old_amount)  # keys are sorted: member, bonus
    if changed.size == 0:
        return
    members = (keys[changed] // width).tolist()
    names = members_repo.external_ids(session, sorted(set(members)))
    for index, member in zip(changed.tolist(), members, strict=True):
        out.member_db_ids.append(member)
        out.member_ids.append(names[member])
        out.bonus_ids.append(str(bonus_names[keys[index] % width]))
        out.amounts.append(int(new_amount[index] - old_amount[index]))
        out.corrects_line.append(int(original[index]) if original[index] >= 0 else None)
        out.periods.append(period_key)
        out.reasons.append(reason)

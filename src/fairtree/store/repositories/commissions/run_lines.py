"""Lines of one kind of a run (the few adjustment lines among millions of commissions)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.store.models import Member, PayoutLine


def lines_of_kind(session: Session, run_id: int, kind: str, limit: int) -> list[Any]:
    """(id, member id, bonus, amount, corrects line, corrects period, reason), by id."""
    return list(
        session.execute(
            select(
                PayoutLine.id,
                Member.member_id,
                PayoutLine.bonus_id,
                PayoutLine.amount,
                PayoutLine.corrects_line_id,
                PayoutLine.corrects_period_key,
                PayoutLine.reason,
            )
            .join(Member, Member.id == PayoutLine.member_id)
            .where(PayoutLine.run_id == run_id, PayoutLine.kind == kind)
            .order_by(PayoutLine.id)
            .limit(limit)
        )
    )

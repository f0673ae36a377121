"""Commission periods and the company lock that serialises closes."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fairtree.periods import Period as PeriodRange
from fairtree.store.models import Period


def mark_period_closed(session: Session, company_id: int, period: PeriodRange) -> None:
    existing = session.scalar(
        select(Period.id).where(Period.company_id == company_id, Period.key == period.key)
    )
    if existing is None:
        session.add(
            Period(
                company_id=company_id,
                key=period.key,
                kind=period.kind.value,
                starts_on=period.start,
                ends_on=period.end,
                status="closed",
            )
        )
    else:
        session.execute(update(Period).where(Period.id == existing).values(status="closed"))
    session.flush()

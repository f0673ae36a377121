"""Published statements: one row per company and year."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fairtree.store.models import DisclosurePublication


def published(session: Session, company_id: int, year: int) -> DisclosurePublication | None:
    return session.scalar(
        select(DisclosurePublication).where(
            DisclosurePublication.company_id == company_id, DisclosurePublication.year == year
        )
    )


def published_years(session: Session, company_id: int) -> list[int]:
    return list(
        session.scalars(
            select(DisclosurePublication.year)
            .where(DisclosurePublication.company_id == company_id)
            .order_by(DisclosurePublication.year.desc())
        )
    )


def replace(session: Session, row: DisclosurePublication) -> None:
    """Store ``row`` as the company's publication of its year (an earlier one goes)."""
    session.execute(
        delete(DisclosurePublication).where(
            DisclosurePublication.company_id == row.company_id,
            DisclosurePublication.year == row.year,
        )
    )
    session.add(row)
    session.flush()


def withdraw(session: Session, company_id: int, year: int) -> bool:
    result = session.execute(
        delete(DisclosurePublication).where(
            DisclosurePublication.company_id == company_id, DisclosurePublication.year == year
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]

"""The company's commission periods as the operator sees them (read-only)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fairtree.store.models import Period
from fairtree.store.repositories import company as company_repo


def list_periods(session: Session, limit: int, offset: int) -> list[Period]:
    """Periods, newest first."""
    return company_repo.periods(session, limit, offset)

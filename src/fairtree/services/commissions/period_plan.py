"""The period a day falls in, and the plan in force on a day: what live volumes, rank
progress and order intake all ask before they count anything."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.periods import Period, PeriodKind
from fairtree.plans.schema import Plan
from fairtree.services.commissions.close import plan_document
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import runs


def period_of(session: Session, day: date) -> Period:
    company = company_repo.the_company(session)
    return Period.containing(day, PeriodKind(company.period_kind))


def plan_on(session: Session, day: date) -> Plan:
    """The plan in force on ``day`` (looked up once per session and day)."""
    cache = session.info.setdefault("fairtree.plan_on", {})
    if day not in cache:
        company = company_repo.the_company(session)
        version = runs.plan_in_force(session, company.id, day)
        if version is None:
            raise NotFoundError(f"no plan version is in force on {day}")
        cache[day] = plan_document(version).for_date(day)
    return cache[day]


def period_finalized(session: Session, period: Period) -> bool:
    """True once the period has a finalized run: late facts are then corrected in the
    next close (services.corrections)."""
    company = company_repo.the_company(session)
    return runs.find_run(session, company.id, period.key, "finalized") is not None

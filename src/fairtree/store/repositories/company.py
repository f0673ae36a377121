"""Queries for the company row, its periods and plan versions, and member search."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fairtree.store.models import Company, Member, Period, PlanVersion


def the_company(session: Session) -> Company | None:
    return session.scalars(select(Company).order_by(Company.id).limit(1)).one_or_none()


def periods(session: Session, limit: int, offset: int) -> list[Period]:
    return list(
        session.scalars(
            select(Period).order_by(Period.starts_on.desc()).limit(limit).offset(offset)
        )
    )


def plan_versions(session: Session) -> list[PlanVersion]:
    return list(session.scalars(select(PlanVersion).order_by(PlanVersion.effective_from)))


def plan_version(session: Session, company_pk: int, version: str) -> PlanVersion | None:
    return session.scalars(
        select(PlanVersion).where(
            PlanVersion.company_id == company_pk, PlanVersion.version == version
        )
    ).one_or_none()


def add_plan_version(session: Session, row: PlanVersion) -> None:
    session.add(row)
    session.flush()


def search_members(
    session: Session, text: str | None, status: str | None, limit: int, offset: int
) -> list[tuple[Member, str | None]]:
    """Members by id or display name (case-insensitive substring), with their sponsor's id."""
    sponsor = Member.__table__.alias("sponsor")
    query = (
        select(Member, sponsor.c.member_id)
        .outerjoin(sponsor, sponsor.c.id == Member.sponsor_id)
        .order_by(Member.id)
        .limit(limit)
        .offset(offset)
    )
    if text:
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern += "%"
        query = query.where(
            or_(
                Member.member_id.ilike(pattern, escape="\\"),
                Member.display_name.ilike(pattern, escape="\\"),
            )
        )
    if status:
        query = query.where(Member.status == status)
    return [(m, s) for m, s in session.execute(query)]

"""Queries for the company row, its periods and plan versions.

A database holds one company. ``the_company`` finds it (once per session) and
``lock_company`` makes the writers that change the whole network or its pay (closes,
finalizes, moves, terminations) run one after the other.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError
from fairtree.store.models import Company, Period, PlanVersion

_CACHE_KEY = "fairtree.company"


def the_company(session: Session) -> Company:
    """The company this database holds; NotFoundError before a dataset is imported.

    Looked up once per session: later calls return the same row while it is still in
    the session.
    """
    company = session.info.get(_CACHE_KEY)
    if company is not None and company in session:
        return company
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        raise NotFoundError("the database holds no company; import a dataset first")
    session.info[_CACHE_KEY] = company
    return company


def lock_company(session: Session, company_id: int) -> None:
    """Hold the company's lock until this transaction ends; other lockers wait.

    PostgreSQL: a ``FOR UPDATE`` lock on the company row. SQLite: a no-op UPDATE of the
    row, which takes the database's single write lock now rather than at the first
    write, so a transaction that reads before it writes (a close) cannot find, when it
    comes to write, that another writer committed since it read.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Company).where(Company.id == company_id).values(name=Company.name))
    else:
        session.execute(select(Company.id).where(Company.id == company_id).with_for_update())


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


def plan_version_by_pk(session: Session, version_pk: int) -> PlanVersion | None:
    return session.get(PlanVersion, version_pk)

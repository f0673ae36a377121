"""Queries for policy versions and members' acknowledgements of them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.store.models import PolicyAcknowledgement, PolicyVersion


def version_in_force(session: Session, on: date) -> PolicyVersion | None:
    return session.scalars(
        select(PolicyVersion)
        .where(PolicyVersion.effective_from <= on)
        .order_by(PolicyVersion.effective_from.desc(), PolicyVersion.id.desc())
        .limit(1)
    ).one_or_none()


def version_named(session: Session, version: str) -> PolicyVersion | None:
    return session.scalars(
        select(PolicyVersion).where(PolicyVersion.version == version)
    ).one_or_none()


def all_versions(session: Session) -> list[PolicyVersion]:
    return list(
        session.scalars(
            select(PolicyVersion).order_by(PolicyVersion.effective_from, PolicyVersion.id)
        )
    )


def acknowledgement(
    session: Session, member_pk: int, version_pk: int
) -> PolicyAcknowledgement | None:
    return session.scalars(
        select(PolicyAcknowledgement).where(
            PolicyAcknowledgement.member_id == member_pk,
            PolicyAcknowledgement.policy_version_id == version_pk,
        )
    ).one_or_none()


def acknowledgements_of(
    session: Session, member_pk: int
) -> list[tuple[PolicyAcknowledgement, str]]:
    rows = session.execute(
        select(PolicyAcknowledgement, PolicyVersion.version)
        .join(PolicyVersion, PolicyVersion.id == PolicyAcknowledgement.policy_version_id)
        .where(PolicyAcknowledgement.member_id == member_pk)
        .order_by(PolicyAcknowledgement.acknowledged_at)
    )
    return [(ack, version) for ack, version in rows]

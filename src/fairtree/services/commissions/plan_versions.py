"""Uploading a plan version as text: validated by the plan loader, stored with its
sha256, audited. A version name is used once; the text never changes afterwards."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, NotFoundError
from fairtree.plans.load import parse_plan, parse_yaml_text
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.store.models import PlanVersion
from fairtree.store.repositories import company as company_repo


def upload(
    session: Session,
    actor: Principal | None,
    version: str,
    effective_from: date,
    yaml_text: str,
    reason: str,
) -> PlanVersion:
    source = f"plan version {version}"
    raw = parse_yaml_text(yaml_text, source, "yaml_text")
    parse_plan(raw, source)  # raises PlanError listing every problem
    company = company_repo.the_company(session)
    if company_repo.plan_version(session, company.id, version) is not None:
        raise ConflictError(f"plan version {version!r} exists; upload under a new version")
    digest = hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()
    row = PlanVersion(
        company_id=company.id,
        version=version,
        effective_from=effective_from,
        yaml_text=yaml_text,
        sha256=digest,
    )
    company_repo.add_plan_version(session, row)
    record_action(
        session,
        actor,
        action="plan_version_uploaded",
        subject_kind="plan_version",
        subject_id=version,
        reason=reason,
        after={"effective_from": effective_from.isoformat(), "sha256": digest},
    )
    return row


def list_versions(session: Session) -> list[PlanVersion]:
    """Every stored plan version, oldest effective date first."""
    return company_repo.plan_versions(session)


def version_named(session: Session, version: str) -> PlanVersion:
    """The stored plan version called ``version``, or NotFoundError."""
    row = company_repo.plan_version(session, company_repo.the_company(session).id, version)
    if row is None:
        raise NotFoundError(f"no plan version {version}")
    return row

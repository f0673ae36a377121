"""Publishing a year's statement on the public page: an admin action, audited.

Publishing computes the statement from the ledger and stores it as published, so the
public page serves exactly what the company published, at once and without sign-in.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from fairtree.disclosure import render
from fairtree.errors import NotFoundError
from fairtree.services.access.actors import actor_label, require_admin
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.services.disclosure.statement import statement_for_year
from fairtree.store.models import DisclosurePublication
from fairtree.store.repositories.disclosure import ledger_facts, publications


def _company_id(session: Session) -> int:
    company = ledger_facts.company(session)
    if company is None:
        raise NotFoundError("the database holds no company; import a dataset first")
    return company.id


def publish_year(session: Session, actor: Principal | None, year: int, reason: str) -> str:
    """Compute and publish ``year``'s statement; returns the sha256 of its JSON."""
    require_admin(actor, "publish a disclosure statement")
    statement = statement_for_year(session, year)
    as_json = render.to_json(statement)
    company_id = _company_id(session)
    publications.replace(
        session,
        DisclosurePublication(
            company_id=company_id,
            year=year,
            statement_html=render.html_body(statement),
            statement_json=as_json,
            published_by=actor_label(actor),
        ),
    )
    digest = hashlib.sha256(as_json.encode()).hexdigest()
    record_action(
        session,
        actor,
        action="disclosure.publish",
        subject_kind="disclosure",
        subject_id=str(year),
        reason=reason,
        after={"year": year, "sha256": digest, "runs": [r.run_id for r in statement.runs]},
    )
    return digest


def withdraw_year(session: Session, actor: Principal | None, year: int, reason: str) -> None:
    require_admin(actor, "withdraw a disclosure statement")
    if not publications.withdraw(session, _company_id(session), year):
        raise NotFoundError(f"no statement is published for {year}")
    record_action(
        session,
        actor,
        action="disclosure.withdraw",
        subject_kind="disclosure",
        subject_id=str(year),
        reason=reason,
        before={"year": year},
    )


def published_statement(session: Session, year: int) -> DisclosurePublication:
    """What the public page shows; NotFound when the year is not published."""
    company = ledger_facts.company(session)
    row = publications.published(session, company.id, year) if company else None
    if row is None:
        raise NotFoundError(f"no statement is published for {year}")
    return row

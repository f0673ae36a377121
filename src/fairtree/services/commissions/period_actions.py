"""Staff actions on periods and payouts, each audited with its actor and reason.

The close, finalize and payout services do the work; here each action is checked
against who may do it (owners and admins), the company's approval rule, and written to
the audit log. A second person's approval, when the company asks for one, is tied to
one draft run: closing the period again replaces the draft and the approval with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fairtree.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    ValidationError,
)
from fairtree.periods import Period
from fairtree.services.access.actors import require_admin
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.services.commissions import payouts
from fairtree.services.commissions.close import CloseResult, close_period, finalize_run
from fairtree.services.progress import Progress
from fairtree.store.models import CommissionRun, RunApproval
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import runs
from fairtree.store.repositories.jobs import jobs as jobs_repo


def require_reason(reason: str, record: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError([Problem(record, "", "reason", "is required")])
    if len(reason) > 500:
        raise ValidationError([Problem(record, "", "reason", "is longer than 500 characters")])
    return reason


def close(
    session: Session, actor: Principal, period_key: str, reason: str, progress: Progress
) -> CloseResult:
    """Close a period into a draft run (replacing an earlier draft), audited."""
    require_admin(actor, f"close period {period_key}")
    key = Period.parse(period_key).key
    reason = require_reason(reason, f"period {key}")
    progress.stage(f"closing {key}", None)
    result = close_period(session, key)
    record_action(
        session,
        actor,
        action="period_closed",
        subject_kind="period",
        subject_id=key,
        reason=reason,
        after={
            "run_id": result.run_id,
            "total_paid": result.total_paid,
            "total_adjustments": result.total_adjustments,
            "digest": result.digest,
        },
    )
    return result


def draft_run(session: Session, period_key: str) -> CommissionRun:
    company = company_repo.the_company(session)
    key = Period.parse(period_key).key
    draft = runs.find_run(session, company.id, key, "draft")
    if draft is None:
        if runs.find_run(session, company.id, key, "finalized") is not None:
            raise ConflictError(f"period {key} is already finalized")
        raise NotFoundError(f"no draft run for period {key}; close it first")
    return draft


def approval(session: Session, period_key: str) -> RunApproval | None:
    """The approval of the period's current draft, if any."""
    company = company_repo.the_company(session)
    draft = runs.find_run(session, company.id, Period.parse(period_key).key, "draft")
    return jobs_repo.approval_of(session, draft.id) if draft is not None else None


def approve(session: Session, actor: Principal, period_key: str, reason: str) -> RunApproval:
    """A staff member approves the current draft; someone else may then finalize it."""
    require_admin(actor, f"approve period {period_key}")
    draft = draft_run(session, period_key)
    reason = require_reason(reason, f"period {draft.period_key}")
    if jobs_repo.approval_of(session, draft.id) is not None:
        raise ConflictError(f"the draft run of {draft.period_key} is already approved")
    row = jobs_repo.add_approval(
        session,
        RunApproval(
            run_id=draft.id,
            period_key=draft.period_key,
            approved_by_user_id=actor.user_id,
            approved_by=actor.login[:64],
            reason=reason,
            approved_at=utcnow(),
        ),
    )
    record_action(
        session,
        actor,
        action="run_approved",
        subject_kind="period",
        subject_id=draft.period_key,
        reason=reason,
        after={"run_id": draft.id},
    )
    return row


def finalize(
    session: Session, actor: Principal, period_key: str, rates: dict[str, str], reason: str
) -> int:
    """Finalize the draft with its exchange-rate snapshot; a second finalize is a conflict."""
    require_admin(actor, f"finalize period {period_key}")
    company = company_repo.the_company(session)
    draft = draft_run(session, period_key)
    reason = require_reason(reason, f"period {draft.period_key}")
    if company.finalize_needs_approval:
        approved = jobs_repo.approval_of(session, draft.id)
        if approved is None:
            raise PermissionDeniedError(
                f"period {draft.period_key}: a second staff member must approve the draft first"
            )
        if approved.approved_by_user_id == actor.user_id:
            raise PermissionDeniedError(
                f"period {draft.period_key}: approved by you; someone else must finalize it"
            )
    run_id = finalize_run(session, draft.period_key, rates)
    record_action(
        session,
        actor,
        action="period_finalized",
        subject_kind="period",
        subject_id=draft.period_key,
        reason=reason,
        after={"run_id": run_id, "rates": runs.exchange_rates(session, run_id)},
    )
    return run_id


def set_approval_rule(session: Session, actor: Principal, required: bool, reason: str) -> None:
    require_admin(actor, "change the finalize approval rule")
    company = company_repo.the_company(session)
    reason = require_reason(reason, "company")
    before = {"finalize_needs_approval": company.finalize_needs_approval}
    company.finalize_needs_approval = required
    session.flush()
    record_action(
        session,
        actor,
        action="approval_rule_changed",
        subject_kind="company",
        subject_id=company.company_id,
        reason=reason,
        before=before,
        after={"finalize_needs_approval": required},
    )


def create_batch(
    session: Session, actor: Principal, period_key: str, minimum_payout: int, reason: str
) -> payouts.BatchSummary:
    require_admin(actor, f"create the payout batch of {period_key}")
    reason = require_reason(reason, f"payout batch {period_key}")
    if minimum_payout < 0:
        raise ValidationError([Problem("payout batch", period_key, "minimum", "must be >= 0")])
    summary = payouts.create_batch(session, period_key, minimum_payout)
    record_action(
        session,
        actor,
        action="payout_batch_created",
        subject_kind="period",
        subject_id=summary.period_key,
        reason=reason,
        after={
            "batch_id": summary.batch_id,
            "minimum_payout": minimum_payout,
            "pending": summary.pending,
            "held": summary.held,
            "carried": summary.carried,
            "pending_total": summary.pending_total,
        },
    )
    return summary


def mark_items(
    session: Session,
    actor: Principal,
    period_key: str,
    item_ids: list[int],
    paid: bool,
    reason: str,
) -> int:
    require_admin(actor, f"mark payout items of {period_key}")
    reason = require_reason(reason, f"payout batch {period_key}")
    if not item_ids:
        raise ValidationError([Problem("payout batch", period_key, "items", "choose at least one")])
    moved = payouts.mark_items(session, period_key, item_ids, paid, reason)
    after: dict[str, Any] = {"items": sorted(set(item_ids)), "status": "paid" if paid else "failed"}
    record_action(
        session,
        actor,
        action="payout_items_marked",
        subject_kind="period",
        subject_id=Period.parse(period_key).key,
        reason=reason,
        after=after,
    )
    return moved

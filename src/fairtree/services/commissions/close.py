"""Period close: evaluate a period from the store into a draft run, then finalize it.

``close_period`` loads the period's network and orders set-based, evaluates the plan
version in force, adds correction lines for finalized periods whose facts changed, and
replaces any draft of the period, all in the caller's one transaction (so a killed
close leaves the previous state). ``finalize_run`` stores the exchange-rate snapshot
with the draft, makes it immutable (the database refuses any later change) and posts it
to the ledger. Neither commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import yaml
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.engine.evaluate import evaluate
from fairtree.engine.inputs import CarryState, EngineInput
from fairtree.engine.result import Evaluation
from fairtree.errors import ConflictError, NotFoundError
from fairtree.ledger.lines import RunLines, evaluation_lines
from fairtree.periods import Period
from fairtree.plans.load import PlanDocument, parse_plan
from fairtree.services.commissions import exchange_rates
from fairtree.services.commissions.corrections import Adjustments, corrections_for
from fairtree.services.pause import pause_point
from fairtree.services.step_times import step
from fairtree.store.models import CommissionRun, Company, PlanVersion
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.bulk import engine_arrays
from fairtree.store.repositories.commissions import ledger, runs
from fairtree.store.repositories.commissions.periods import mark_period_closed


@dataclass(frozen=True)
class CloseResult:
    run_id: int
    period_key: str
    lines: int
    adjustments: int
    total_paid: int
    total_adjustments: int
    digest: str
    replaced_draft: bool


def plan_document(version: PlanVersion) -> PlanDocument:
    """The parsed plan of a stored version (parsed once per process and text)."""
    return _parsed(version.sha256, version.yaml_text, version.version)


@lru_cache(maxsize=32)
def _parsed(sha256: str, yaml_text: str, version: str) -> PlanDocument:
    return parse_plan(yaml.safe_load(yaml_text), f"plan_versions/{version}")


def plan_for(
    session: Session, company: Company, period: Period
) -> tuple[PlanVersion, PlanDocument]:
    version = runs.plan_in_force(session, company.id, period.start)
    if version is None:
        raise NotFoundError(f"no plan version is in force on {period.start} (plan_versions)")
    return version, plan_document(version)


def facts_read(document: PlanDocument, period: Period) -> engine_arrays.FactsRead:
    """What the plan in force reads beyond one row per order (kinds, lines by product)."""
    plan = document.for_date(period.start)
    return engine_arrays.FactsRead(
        order_kinds=plan.names_order_kinds, order_lines=plan.pays_on_products
    )


def evaluate_period(
    session: Session,
    company: Company,
    period: Period,
    document: PlanDocument,
    through_id: int = engine_arrays.NO_LIMIT,
) -> tuple[engine_arrays.PeriodFacts, Evaluation]:
    """Load the period's facts (orders up to ``through_id``) and evaluate the plan."""
    with step(session, "load"):
        facts = engine_arrays.load_period_facts(
            session,
            period,
            through_id,
            placement=company.placement != "none",
            reads=facts_read(document, period),
        )
    with step(session, "carry_in"):
        carry_in = carry_in_for(session, company, period, facts.member_db_ids)
    inputs = EngineInput(
        facts.inputs.members, facts.inputs.orders, facts.inputs.parties, carry_in=carry_in
    )
    with step(session, "evaluate"):
        return facts, evaluate(inputs, document, period)


def carry_in_for(
    session: Session, company: Company, period: Period, member_db_ids: np.ndarray
) -> CarryState:
    """Highest ranks and bonus carry values from the latest finalized run before ``period``."""
    highest = runs.previous_highest_ranks(session, company.id, period.start, member_db_ids)
    last = runs.latest_finalized_before(session, company.id, period.start)
    values = runs.carry_values(session, last, member_db_ids) if last is not None else {}
    return CarryState(highest, values)


def close_period(session: Session, period_key: str) -> CloseResult:
    """Write the draft run of ``period_key`` (replacing an earlier draft)."""
    company = company_repo.the_company(session)
    period = Period.parse(period_key)
    key = period.key
    company_repo.lock_company(session, company.id)
    if runs.find_run(session, company.id, key, "finalized") is not None:
        raise ConflictError(
            f"period {key} is finalized; late facts are corrected in the next open period"
        )
    version, document = plan_for(session, company, period)
    through = runs.max_order_id(session)
    facts, evaluation = evaluate_period(session, company, period, document, through)
    with step(session, "lines"):
        lines = evaluation_lines(evaluation, facts.member_db_ids)
    with step(session, "corrections"):
        adjustments = corrections_for(session, company, period, evaluate_period, plan_for)
    old = runs.find_run(session, company.id, key, "draft")
    if old is not None:
        session.expunge(old)
        with step(session, "delete_draft"):
            runs.delete_run(session, old.id)
    pause_point("close_after_delete")
    run = CommissionRun(
        company_id=company.id,
        period_key=key,
        starts_on=period.start,
        ends_on=period.end,
        status="draft",
        plan_version_id=version.id,
        plan_sha256=version.sha256,
        currency=evaluation_currency(document, period),
        members_count=len(facts.inputs.members),
        orders_count=len(facts.inputs.orders),
        orders_id_sum=facts.orders_id_sum,
        orders_through_id=through,
        total_bv=int(evaluation.bv.sum()),
        total_paid=lines.total(),
        total_adjustments=adjustments.total(),
        lines_digest=_digest(lines, adjustments),
    )
    session.add(run)
    session.flush()
    with step(session, "write_lines"):
        _write_lines(session, run.id, key, lines, adjustments)
    pause_point("close_after_lines")
    with step(session, "write_rank_history"):
        runs.insert_rank_history(
            session,
            run.id,
            key,
            facts.member_db_ids,
            evaluation.paid_as,
            evaluation.highest,
            evaluation.pv,
            evaluation.group_volume,
        )
    with step(session, "write_carry_and_totals"):
        runs.insert_carry_values(
            session,
            run.id,
            facts.member_db_ids,
            evaluation.carry_out.values,
            shown=evaluation.shown,
        )
        runs.add_bonus_totals(session, run.id, _bonus_totals(evaluation, document, period))
        session.flush()
    pause_point("close_before_commit")
    return CloseResult(
        run_id=run.id,
        period_key=key,
        lines=len(lines),
        adjustments=len(adjustments),
        total_paid=run.total_paid,
        total_adjustments=run.total_adjustments,
        digest=run.lines_digest,
        replaced_draft=old is not None,
    )


def evaluation_currency(document: PlanDocument, period: Period) -> str:
    return document.for_date(period.start).currency


def _digest(lines: RunLines, adjustments: Adjustments) -> str:
    """Digest of the commission lines and the (few) adjustment lines, in order."""
    extra = "".join(
        f"\n{m}\x1f{b}@{p}\x1f{a}"
        for m, (b, p), a in zip(
            adjustments.member_ids,
            adjustments.bonus_and_period(),
            adjustments.amounts,
            strict=True,
        )
    )
    return lines.digest(extra)


def _write_lines(
    session: Session, run_id: int, key: str, lines: RunLines, adjustments: Adjustments
) -> None:
    size = len(lines)
    none = np.full(size, None, dtype=object)
    runs.insert_lines(
        session,
        run_id,
        {
            "member_id": lines.member_db_id,
            "bonus_id": lines.bonus_id,
            "kind": np.full(size, "commission", dtype=object),
            "amount": lines.amount,
            "explanation_ref": lines.explanation_refs(key),
            "corrects_line_id": none,
            "corrects_period_key": none,
            "reason": none,
        },
    )
    if len(adjustments):
        runs.insert_lines(session, run_id, adjustments.columns())


def _bonus_totals(evaluation: Evaluation, document: PlanDocument, period: Period) -> list[dict]:
    plan = document.for_date(period.start)
    return [
        {
            "bonus_id": bonus.id,
            "kind": bonus.kind,
            "pool": evaluation.outcomes[bonus.id].pool,
            "paid": evaluation.outcomes[bonus.id].paid,
            "breakage": evaluation.outcomes[bonus.id].breakage,
            "report_only": evaluation.outcomes[bonus.id].report_only,
        }
        for bonus in plan.bonuses
    ]


def finalize_run(session: Session, period_key: str, rates: dict[str, str] | None = None) -> int:
    """Make the period's draft immutable and post it to the ledger; returns the run id.

    ``rates`` (currency -> Decimal string, units per one unit of the run currency) is the
    exchange-rate snapshot the period's payouts convert at; it needs a rate for every
    currency a member is paid in other than the run's own.
    """
    company = company_repo.the_company(session)
    key = Period.parse(period_key).key
    company_repo.lock_company(session, company.id)
    draft = runs.find_run(session, company.id, key, "draft", lock=True)
    if draft is None:
        if runs.find_run(session, company.id, key, "finalized") is not None:
            raise ConflictError(f"period {key} is already finalized")
        raise NotFoundError(f"no draft run for period {key}; run `fairtree close {key}` first")
    with step(session, "rates"):
        snapshot = exchange_rates.snapshot(session, draft.currency, rates or {})
        runs.insert_exchange_rates(session, draft.id, snapshot)  # while still a draft
    try:
        with step(session, "mark_finalized"):
            runs.mark_finalized(session, draft.id)
            session.flush()
    except IntegrityError as error:
        raise ConflictError(f"period {key} is already finalized") from error
    with step(session, "post_run"):
        ledger.post_run(session, company.id, draft.id, key, draft.currency)
    with step(session, "settle_clawbacks"):
        ledger.settle_clawbacks(
            session, company.id, f"clawbacks:{draft.id}", f"balances after {key}", draft.currency
        )
    mark_period_closed(session, company.id, Period.parse(key))
    pause_point("finalize_before_commit")
    return draft.id

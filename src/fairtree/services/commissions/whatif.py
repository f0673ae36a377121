"""What-if on the database: a draft plan against the version in force, over a real
finalized period, member by member.

The period's facts are loaded as its run saw them (orders up to the run's
``orders_through_id``, carry-in from the run before), evaluated once under the plan in
force and once under the draft, and summarised: totals and breakage by bonus, payout as
a share of sales, how many members gain or lose and by how much, the largest changes,
and changes by paid-as rank and by joining month. Every figure is a vector operation
over the members; the result is small and JSON-able (it is stored with the job).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import yaml
from sqlalchemy.orm import Session

from fairtree.engine.evaluate import check_kinds
from fairtree.engine.inputs import EngineInput
from fairtree.engine.whatif import PlanDiff, diff_plans
from fairtree.errors import ConflictError, PlanError, Problem
from fairtree.money import currency_exponent
from fairtree.periods import Period
from fairtree.plans.load import PlanDocument, parse_plan
from fairtree.services.commissions.close import carry_in_for, facts_read, plan_for
from fairtree.services.commissions.review import share
from fairtree.services.progress import NoProgress, Progress
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.bulk import engine_arrays
from fairtree.store.repositories.commissions import runs

LARGEST = 20
# Change buckets in major currency units: (label, low, high) meaning low < change <= high
# for losses and low <= change < high for gains; None is unbounded.
BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("lose 100 or more", None, -100),
    ("lose 10 to 100", -100, -10),
    ("lose under 10", -10, 0),
    ("no change", 0, 0),
    ("gain under 10", 0, 10),
    ("gain 10 to 100", 10, 100),
    ("gain 100 or more", 100, None),
)


def parse_draft(yaml_text: str, name: str = "draft plan") -> PlanDocument:
    """The draft as a plan document, or PlanError naming every path and reason."""
    try:
        raw = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        raise PlanError([Problem(name, "", "yaml_text", f"not valid YAML: {exc}")]) from None
    document = parse_plan(raw, name)
    for _, version in document.versions:
        check_kinds(version, name)
    return document


def what_if(
    session: Session,
    period_key: str,
    draft_yaml: str,
    draft_name: str = "draft plan",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Compare ``draft_yaml`` with the plan in force over a finalized period."""
    progress = progress or NoProgress()
    draft = parse_draft(draft_yaml, draft_name)
    company = company_repo.the_company(session)
    period = Period.parse(period_key)
    run = runs.find_run(session, company.id, period.key, "finalized")
    if run is None:
        raise ConflictError(f"period {period.key} is not finalized; what-if needs a closed period")
    version, current = plan_for(session, company, period)
    progress.stage(f"loading {period.key}", None)
    reads = facts_read(current, period)
    draft_reads = facts_read(draft, period)
    facts = engine_arrays.load_period_facts(
        session,
        period,
        run.orders_through_id,
        placement=company.placement != "none",
        reads=engine_arrays.FactsRead(
            order_kinds=reads.order_kinds or draft_reads.order_kinds,
            order_lines=reads.order_lines or draft_reads.order_lines,
        ),
    )
    carry_in = carry_in_for(session, company, period, facts.member_db_ids)
    inputs = EngineInput(
        facts.inputs.members, facts.inputs.orders, facts.inputs.parties, carry_in=carry_in
    )
    progress.stage("evaluating both plans", 2)
    diff = diff_plans(inputs, current, draft, period)
    progress.advance(2)
    progress.stage("summarising", None)
    currency = run.currency
    sales = int(facts.inputs.orders.sales.sum())
    return summarise(diff, inputs, period.key, version.version, draft_name, currency, sales)


def _cohorts(joined_on: np.ndarray) -> np.ndarray:
    months = joined_on.astype("datetime64[M]")
    span = int((months.max() - months.min()).astype(int)) if months.size else 0
    unit = "datetime64[Y]" if span > 24 else "datetime64[M]"
    return joined_on.astype(unit).astype(str)


def _grouped(labels: np.ndarray, delta: np.ndarray, order_key: Any = None) -> list[dict[str, Any]]:
    if labels.size == 0:
        return []
    names, index = np.unique(labels, return_inverse=True)
    count = np.bincount(index, minlength=names.size)
    change = np.zeros(names.size, dtype=np.int64)
    np.add.at(change, index, delta)
    gain = np.bincount(index[delta > 0], minlength=names.size)
    lose = np.bincount(index[delta < 0], minlength=names.size)
    rows = [
        {
            "group": str(names[i]),
            "members": int(count[i]),
            "gainers": int(gain[i]),
            "losers": int(lose[i]),
            "change": int(change[i]),
        }
        for i in range(names.size)
    ]
    return sorted(rows, key=order_key) if order_key else rows


def _bucket(delta: np.ndarray, low: int | None, high: int | None, unit: int) -> np.ndarray:
    if low == high == 0:
        return delta == 0
    if high is not None and high <= 0:  # a loss: low < change <= high (strictly below 0)
        mask = delta <= high * unit if high < 0 else delta < 0
        return mask & (delta > low * unit) if low is not None else mask
    mask = delta >= low * unit if low else delta > 0
    return mask & (delta < high * unit) if high is not None else mask


def summarise(
    diff: PlanDiff,
    inputs: EngineInput,
    period_key: str,
    version: str,
    draft_name: str,
    currency: str,
    sales: int,
) -> dict[str, Any]:
    before, after = diff.before.member_total(), diff.after.member_total()
    delta = after - before
    unit = 10 ** currency_exponent(currency)
    buckets = [{"label": label, "members": int(_bucket(delta, low, high, unit).sum())}
               for label, low, high in BUCKETS]  # fmt: skip
    bonuses = []
    for change in diff.bonuses():
        old = diff.before.outcomes.get(change.bonus_id)
        new = diff.after.outcomes.get(change.bonus_id)
        bonuses.append(
            {
                "bonus_id": change.bonus_id,
                "before": change.before,
                "after": change.after,
                "delta": change.delta,
                "breakage_before": old.breakage if old is not None else 0,
                "breakage_after": new.breakage if new is not None else 0,
            }
        )
    paid_as = diff.before.paid_as
    rank_labels = np.array(["(no rank)", *diff.before.rank_names], dtype=object)[paid_as]
    rank_order = {name: i for i, name in enumerate(["(no rank)", *diff.before.rank_names])}
    largest = [
        {"member_id": m.member, "before": m.before, "after": m.after, "delta": m.delta}
        for m in diff.members(LARGEST)
    ]
    total_before, total_after = diff.total_before, diff.total_after
    return {
        "period": period_key,
        "plan_in_force": version,
        "draft": draft_name,
        "currency": currency,
        "members": int(delta.size),
        "sales": sales,
        "total_before": total_before,
        "total_after": total_after,
        "share_before": str(share(total_before, sales).quantize(Decimal("0.0001"))),
        "share_after": str(share(total_after, sales).quantize(Decimal("0.0001"))),
        "breakage_before": sum(b["breakage_before"] for b in bonuses),
        "breakage_after": sum(b["breakage_after"] for b in bonuses),
        "gainers": int((delta > 0).sum()),
        "losers": int((delta < 0).sum()),
        "unchanged": int((delta == 0).sum()),
        "gained": int(delta[delta > 0].sum()),
        "lost": int(-delta[delta < 0].sum()),
        "buckets": buckets,
        "bonuses": bonuses,
        "largest": largest,
        "by_rank": _grouped(
            rank_labels.astype(str), delta, lambda r: rank_order.get(r["group"], 0)
        ),
        "by_cohort": _grouped(_cohorts(inputs.members.joined_on), delta),
    }

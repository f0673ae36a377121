"""A member's pay explained from their downline is exactly the pay explained from the
whole period, for every member of a random company (binary placement; unilevel with
dynamic compression, matching and binary with carry; ranks with max-leg and
qualified-leg conditions; a finalized month feeding the next month's carry-in)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session

from fairtree.benchmarks.close_plan import close_plan
from fairtree.periods import Period
from fairtree.plans.load import parse_plan
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.statements import (
    explained_from_downline,
    member_statement,
    member_traces,
)
from fairtree.services.datasets import import_dataset
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.models import Member
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import runs

RATES = {"CAD": "1.35", "EUR": "0.92", "GBP": "0.79", "JPY": "151.37"}


@pytest.fixture
def company(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", "1")  # small: no side connections
    source = write_dataset(generate(400, 3, seed=11, placement="binary"), tmp_path / "source")
    plan = close_plan(with_binary=True)
    (source / "plan.yaml").write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    import_dataset(session, source)
    close_period(session, "2026-02")
    finalize_run(session, "2026-02", RATES)
    close_period(session, "2026-03")
    return session


@pytest.mark.slow
@pytest.mark.parametrize("period_key", ["2026-02", "2026-03"])
def test_every_member_is_explained_the_same_from_the_downline(
    company: Session, period_key: str
) -> None:
    run = runs.find_run(company, company_repo.the_company(company).id, period_key, "finalized")
    run = run or runs.find_run(company, company_repo.the_company(company).id, period_key, "draft")
    assert run is not None
    period = Period.parse(period_key)
    members = list(company.query(Member).order_by(Member.id))
    explained, bonuses = 0, set()
    for member in members:
        if member.joined_on >= period.end:
            continue
        through = run.orders_through_id
        whole = member_traces(company, run, period, member, through, whole_period=True)
        downline = member_traces(company, run, period, member, through)
        assert downline == whole, member.member_id
        explained += bool(whole)
        bonuses |= set(whole)
    assert explained > 30
    assert bonuses == {"unilevel", "matching", "binary"}


def test_statements_are_the_same_from_the_downline(company: Session) -> None:
    company_id = company_repo.the_company(company).id
    run = runs.find_run(company, company_id, "2026-03", "draft")
    assert run is not None
    paid = sorted({str(row[2]) for row in runs.line_rows(company, run.id)})
    assert len(paid) > 10
    for member_id in paid:
        whole = member_statement(company, "2026-03", member_id, whole_period=True)
        downline = member_statement(company, "2026-03", member_id)
        assert downline == whole, member_id
        assert downline.lines and all(line.explanation[0] != "no trace" for line in downline.lines)


EXAMPLE_PLANS = Path(__file__).resolve().parents[2] / "plans"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("plan", "placement"),
    [("binary-hybrid", "binary"), ("forced-matrix", "matrix")],
)
def test_example_plans_are_explained_the_same_from_the_downline(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan: str, placement: str
) -> None:
    """Fast start and matrix too: every member, a month whose carry-in comes from a
    finalized month."""
    monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", "1")
    company = generate(250, 3, seed=23, placement=placement)
    source = write_dataset(company, tmp_path / "source")
    text = (EXAMPLE_PLANS / plan / "plan.yaml").read_text(encoding="utf-8")
    (source / "plan.yaml").write_text(text, encoding="utf-8")
    import_dataset(session, source)
    close_period(session, "2026-02")
    finalize_run(session, "2026-02", RATES)
    close_period(session, "2026-03")
    run = runs.find_run(session, company_repo.the_company(session).id, "2026-03", "draft")
    assert run is not None
    period = Period.parse("2026-03")
    explained = 0
    for member in session.query(Member).order_by(Member.id):
        if member.joined_on >= period.end:
            continue
        through = run.orders_through_id
        whole = member_traces(session, run, period, member, through, whole_period=True)
        assert member_traces(session, run, period, member, through) == whole, member.member_id
        explained += bool(whole)
    assert explained > 10


@pytest.mark.parametrize("plan", ["stairstep-breakaway", "party-plan"])
def test_plans_with_other_kinds_are_explained_from_the_whole_period(plan: str) -> None:
    document = parse_plan(yaml.safe_load((EXAMPLE_PLANS / plan / "plan.yaml").read_text()), plan)
    assert not explained_from_downline(document, Period.parse("2026-03"))
    unilevel = parse_plan(
        yaml.safe_load((EXAMPLE_PLANS / "unilevel" / "plan.yaml").read_text()), "u"
    )
    assert explained_from_downline(unilevel, Period.parse("2026-03"))

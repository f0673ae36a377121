"""The close stores each member's binary leg volumes (what the settlement compared:
carry-in plus the period's new volume per side) beside the carry, and they equal the
reference evaluator's for every member, in a finalized period and in the draft of the
next one (which carries in from it). The next close's carry-in never reads them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from fairtree.engine.inputs import EngineInput
from fairtree.engine.reference import evaluate_reference
from fairtree.periods import Period
from fairtree.services.commissions.close import carry_in_for, close_period, finalize_run
from fairtree.services.commissions.period_plan import plan_on
from fairtree.services.datasets import import_dataset
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts
from fairtree.store.repositories.commissions import runs

BINARY_PLAN = Path(__file__).resolve().parents[2] / "plans" / "binary-hybrid" / "plan.yaml"
LEGS = ("binary.left_volume", "binary.right_volume")
RATES = {"CAD": "1.35", "EUR": "0.92", "JPY": "150"}


def _reference_legs(session: Session, period: Period) -> tuple[np.ndarray, dict[str, list[int]]]:
    """(member pks, the reference evaluator's leg volumes by key), carry-in as the close
    reads it."""
    facts = load_period_facts(session, period, placement=True)
    company = company_repo.the_company(session)
    carry_in = carry_in_for(session, company, period, facts.member_db_ids)
    inputs = EngineInput(
        facts.inputs.members, facts.inputs.orders, facts.inputs.parties, carry_in=carry_in
    )
    shown = evaluate_reference(inputs, plan_on(session, period.start), period).shown
    return facts.member_db_ids, {key: np.asarray(shown[key]).tolist() for key in LEGS}


def test_stored_leg_volumes_equal_the_reference(session: Session, tmp_path: Path) -> None:
    source = write_dataset(generate(120, 2, seed=11, placement="binary"), tmp_path / "source")
    (source / "plan.yaml").write_text(BINARY_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    import_dataset(session, source)
    company = company_repo.the_company(session)
    first, second = Period.parse("2026-01"), Period.parse("2026-02")
    close_period(session, first.key)
    finalize_run(session, first.key, RATES)
    close_period(session, second.key)  # a draft, carrying in from January
    for period, status in ((first, "finalized"), (second, "draft")):
        run = runs.find_run(session, company.id, period.key, status)
        assert run is not None
        pks, expected = _reference_legs(session, period)
        stored = runs.carry_values(session, run.id, pks, [runs.SHOWN + key for key in LEGS])
        for key in LEGS:
            got = stored.get(runs.SHOWN + key, np.zeros(pks.size, dtype=np.int64)).tolist()
            assert got == expected[key], (period.key, key)
            assert sum(expected[key]) > 0, (period.key, key)  # volume in some leg
        assert runs.has_any_key(session, run.id, [runs.SHOWN + key for key in LEGS])
    carry_in = carry_in_for(session, company, second, pks).values
    assert "binary.left" in carry_in
    assert not [key for key in carry_in if key.startswith(runs.SHOWN)]

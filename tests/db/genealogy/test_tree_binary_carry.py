"""The placement tree of a binary plan shows each member's carry as the close stored it,
equal to the engine's carry-out for a finalized period, and to the carry-in of the
open period (what the last finalized run carried out)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.engine.evaluate import evaluate
from fairtree.engine.inputs import EngineInput
from fairtree.periods import Period
from fairtree.services.access import users
from fairtree.services.access.principal import Principal
from fairtree.services.commissions.close import carry_in_for, close_period, finalize_run
from fairtree.services.commissions.period_plan import plan_on
from fairtree.services.datasets import import_dataset
from fairtree.services.network import tree_view
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.models import Member
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts

BINARY_PLAN = Path(__file__).resolve().parents[3] / "plans" / "binary-hybrid" / "plan.yaml"


def _engine_carry(session: Session, period: Period) -> dict[int, tuple[int, int]]:
    """The engine's binary carry-out of every member, evaluated here from the store."""
    facts = load_period_facts(session, period, placement=True)
    company = company_repo.the_company(session)
    carry_in = carry_in_for(session, company, period, facts.member_db_ids)
    inputs = EngineInput(
        facts.inputs.members, facts.inputs.orders, facts.inputs.parties, carry_in=carry_in
    )
    out = evaluate(inputs, plan_on(session, period.start), period).carry_out.values
    left, right = np.asarray(out["binary.left"]), np.asarray(out["binary.right"])
    return {int(pk): (int(left[i]), int(right[i])) for i, pk in enumerate(facts.member_db_ids)}


def test_placement_nodes_carry_what_the_engine_carries(session: Session, tmp_path: Path) -> None:
    source = write_dataset(generate(300, 3, seed=5, placement="binary"), tmp_path / "source")
    (source / "plan.yaml").write_text(BINARY_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    import_dataset(session, source)
    first = Period.parse("2026-01")
    close_period(session, first.key)
    finalize_run(session, first.key, {"CAD": "1.35", "EUR": "0.92", "JPY": "150"})
    expected = _engine_carry(session, first)
    assert any(left or right for left, right in expected.values()), "some carry to show"
    root = session.scalars(select(Member).where(Member.placement_parent_id.is_(None))).first()
    assert root is not None
    user = users.create_member_user(session, root.member_id, "a long enough password")
    reader = Principal(user.id, "r", "member", root.id, root.member_id, "session", 0)
    for period in (first, Period.parse("2026-02")):  # finalized; open (no run yet)
        seen, carrying = 0, 0
        parents: list[str | None] = [None]
        while parents and seen < 60:
            parent = parents.pop()
            level = tree_view.tree_level(
                session, reader, root, parent, "placement", period, None, "name", False, 50, 0
            )
            assert level.carry_note is not None
            for node in [level.parent, *level.nodes]:
                pk = session.scalar(select(Member.id).where(Member.member_id == node.member_id))
                # members who joined after the period carry nothing
                assert node.carry == expected.get(int(pk or 0), (0, 0)), (
                    period.key,
                    node.member_id,
                )
                seen += 1
                carrying += node.carry != (0, 0)
            parents += [n.member_id for n in level.nodes if n.children]
        assert seen >= 60 and carrying > 0

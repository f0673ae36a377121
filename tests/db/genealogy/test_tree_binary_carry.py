"""The placement tree of a binary plan shows each member's leg volumes and carry as the
close stored them: for a finalized period the engine's leg volumes compared and its
carry-out; for the open period (no run yet) the legs of the last finalized run,
labelled with its period, and what that run carried into the open period."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import delete, select
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
from fairtree.store.models import Member, RunCarryValue
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts
from fairtree.store.repositories.commissions import runs

BINARY_PLAN = Path(__file__).resolve().parents[3] / "plans" / "binary-hybrid" / "plan.yaml"


Figures = dict[int, tuple[int, int]]


def _engine_figures(session: Session, period: Period) -> tuple[Figures, Figures]:
    """The engine's binary carry-out and leg volumes compared of every member, evaluated
    here from the store."""
    facts = load_period_facts(session, period, placement=True)
    company = company_repo.the_company(session)
    carry_in = carry_in_for(session, company, period, facts.member_db_ids)
    inputs = EngineInput(
        facts.inputs.members, facts.inputs.orders, facts.inputs.parties, carry_in=carry_in
    )
    evaluation = evaluate(inputs, plan_on(session, period.start), period)
    out, shown = evaluation.carry_out.values, evaluation.shown

    def by_pk(left: np.ndarray, right: np.ndarray) -> Figures:
        return {int(pk): (int(left[i]), int(right[i])) for i, pk in enumerate(facts.member_db_ids)}

    return by_pk(out["binary.left"], out["binary.right"]), by_pk(
        shown["binary.left_volume"], shown["binary.right_volume"]
    )


def test_placement_nodes_carry_what_the_engine_carries(session: Session, tmp_path: Path) -> None:
    source = write_dataset(generate(300, 3, seed=5, placement="binary"), tmp_path / "source")
    (source / "plan.yaml").write_text(BINARY_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    import_dataset(session, source)
    first = Period.parse("2026-01")
    close_period(session, first.key)
    finalize_run(session, first.key, {"CAD": "1.35", "EUR": "0.92", "JPY": "150"})
    expected, legs = _engine_figures(session, first)
    assert any(left or right for left, right in expected.values()), "some carry to show"
    assert any(left and right for left, right in legs.values()), "both legs to show"
    root = session.scalars(select(Member).where(Member.placement_parent_id.is_(None))).first()
    assert root is not None
    user = users.create_member_user(session, root.member_id, "a long enough password")
    reader = Principal(user.id, "r", "member", root.id, root.member_id, "session", 0)
    for period in (first, Period.parse("2026-02")):  # finalized; open (no run yet)
        seen, carrying, with_legs = 0, 0, 0
        parents: list[str | None] = [None]
        while parents and seen < 60:
            parent = parents.pop()
            level = tree_view.tree_level(
                session, reader, root, parent, "placement", period, None, "name", False, 50, 0
            )
            assert level.binary is not None and level.binary.period == first.key
            assert level.binary.own_period == (period == first)
            for node in [level.parent, *level.nodes]:
                pk = session.scalar(select(Member.id).where(Member.member_id == node.member_id))
                # members who joined after the period carry nothing
                assert node.carry == expected.get(int(pk or 0), (0, 0)), (
                    period.key,
                    node.member_id,
                )
                seen += 1
                carrying += node.carry != (0, 0)
                # the open period shows January's legs (its run's period, labelled)
                assert node.legs == legs.get(int(pk or 0), (0, 0)), (period.key, node.member_id)
                with_legs += node.legs != (0, 0)
            parents += [n.member_id for n in level.nodes if n.children]
        assert seen >= 60 and carrying > 0 and with_legs > 0


def test_a_run_without_stored_legs_shows_carry_only(session: Session, tmp_path: Path) -> None:
    """A run closed before leg volumes were kept has none: its nodes show no legs (never
    zeros), the carry still shows, and the level says the run kept no legs."""
    source = write_dataset(generate(80, 1, seed=7, placement="binary"), tmp_path / "source")
    (source / "plan.yaml").write_text(BINARY_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    import_dataset(session, source)
    first = Period.parse("2026-01")
    close_period(session, first.key)  # a draft
    session.execute(delete(RunCarryValue).where(RunCarryValue.key.startswith(runs.SHOWN)))
    expected, _ = _engine_figures(session, first)
    root = session.scalars(select(Member).where(Member.placement_parent_id.is_(None))).first()
    assert root is not None
    user = users.create_member_user(session, root.member_id, "a long enough password")
    reader = Principal(user.id, "r", "member", root.id, root.member_id, "session", 0)
    level = tree_view.tree_level(
        session, reader, root, None, "placement", first, None, "name", False, 50, 0
    )
    assert level.binary is not None
    assert (level.binary.period, level.binary.status) == (first.key, "draft")
    assert level.binary.own_period and not level.binary.legs_kept
    assert [n.legs for n in [level.parent, *level.nodes]] == [None] * (1 + len(level.nodes))
    assert level.parent.carry == expected[root.id]

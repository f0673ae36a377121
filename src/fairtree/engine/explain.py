"""Explain pay: every payout line of a member with its derivation (library call)."""

from __future__ import annotations

import numpy as np

from fairtree.engine.evaluate import build_context, check_kinds, resolve_plan, run_bonuses
from fairtree.engine.inputs import EngineInput
from fairtree.engine.registry import get_kind
from fairtree.engine.trace import TraceLine
from fairtree.errors import UnknownMemberError
from fairtree.periods import Period
from fairtree.plans.load import PlanDocument
from fairtree.plans.schema import Plan


def explain_member(
    inputs: EngineInput, plan: Plan | PlanDocument, period: Period, member_id: str
) -> list[TraceLine]:
    """Evaluate the period and return the trace lines of one member, bonus by bonus."""
    matches = np.flatnonzero(inputs.members.ids.astype(str) == str(member_id))
    if matches.size == 0:
        raise UnknownMemberError(f"no member {member_id!r} in this network")
    resolved = resolve_plan(plan, period)
    check_kinds(resolved)
    ctx = build_context(inputs, resolved, period)
    outcomes = run_bonuses(ctx)
    position = int(ctx.tree.position[int(matches[0])])
    lines: list[TraceLine] = []
    for bonus in resolved.bonuses:
        kind = get_kind(bonus.kind)
        assert kind is not None
        lines += kind.explain(ctx, bonus, outcomes[bonus.id], position)
    return lines

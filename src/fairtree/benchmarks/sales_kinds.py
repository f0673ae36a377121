"""Benchmark: the stairstep (breakaway), party and retail-profit kinds on a large network.

``fairtree bench sales-kinds --members N`` runs it over the synthetic month that
``fairtree bench close`` uses (generated once, cached in bench/out), with parties added.
One JSON line: seconds per kind's evaluate (best of 3, context built once), the
breakaway pass compiled and numpy, and a few counts that show the work was real. The
plans are the example plans of the repository (plans/stairstep-breakaway, plans/party-plan).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from fairtree.benchmarks.close import cached_input
from fairtree.engine.breakaway import volume_breakaways, volume_breakaways_numpy
from fairtree.engine.context import Context
from fairtree.engine.evaluate import build_context
from fairtree.engine.inputs import EngineInput, Parties
from fairtree.engine.registry import get_kind
from fairtree.periods import Period
from fairtree.plans.load import load_plan
from fairtree.plans.schema import Plan

PLANS = Path(__file__).resolve().parents[3] / "plans"
T = TypeVar("T")


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result


def with_parties(inputs: EngineInput) -> EngineInput:
    """Parties for every party id the orders use, run by random members."""
    count = int(inputs.orders.party.max(initial=-1)) + 1
    rng = np.random.default_rng(7)
    n = len(inputs.members)
    parties = Parties(
        ids=np.array([f"P{i}" for i in range(count)], dtype=object),
        consultant=rng.integers(0, n, count),
        host_member=np.where(rng.random(count) < 0.3, rng.integers(0, n, count), -1),
        held_on=np.full(count, np.datetime64("2026-01-15")),
        host_customer=np.array([f"C{i}" for i in range(count)], dtype=object),
    )
    return EngineInput(inputs.members, inputs.orders, parties)


def run_sales_kinds(members: int, seed: int, workdir: Path) -> dict[str, Any]:
    """The JSON line's fields."""
    cached, _ = cached_input(members, seed, workdir)
    inputs = with_parties(cached)
    period = Period.parse(str(inputs.orders.placed_on.min())[:7])
    stairstep = load_plan(PLANS / "stairstep-breakaway" / "plan.yaml").base
    party = load_plan(PLANS / "party-plan" / "plan.yaml").base
    started = time.perf_counter()
    ctx = build_context(inputs, stairstep, period)
    context_seconds = time.perf_counter() - started
    line: dict[str, Any] = {
        "members": ctx.size,
        "orders": len(inputs.orders),
        "period": period.key,
        "context_seconds": round(context_seconds, 3),
    }
    performance = stairstep.bonus("performance")
    stairstep_kind = get_kind("stairstep")
    assert stairstep_kind is not None
    stairstep_kind.evaluate(ctx, performance)  # compile the breakaway kernel (cached on disk)
    seconds, outcome = best_of(3, lambda: stairstep_kind.evaluate(ctx, performance))
    line["stairstep_seconds"] = round(seconds, 3)
    line["stairstep_paid"] = int(outcome.pay.sum())
    threshold = performance.breakaway.group_volume  # type: ignore[attr-defined]
    seconds, leaders = best_of(
        3, lambda: volume_breakaways(ctx.tree, ctx.pv, ctx.active, threshold)
    )
    line["breakaway_pass_compiled_seconds"] = round(seconds, 3)
    line["breakaway_leaders"] = int(leaders.sum())
    seconds, slow = best_of(
        1, lambda: volume_breakaways_numpy(ctx.tree, ctx.pv, ctx.active, threshold)
    )
    line["breakaway_pass_numpy_seconds"] = round(seconds, 3)
    line["same_leaders"] = bool((slow == leaders).all())
    line["max_depth"] = int(ctx.tree.depth.max())
    party_ctx = build_context(inputs, party, period)
    for bonus_id in ("party", "retail"):
        config = party.bonus(bonus_id)
        kind = get_kind(config.kind)
        assert kind is not None
        seconds, outcome = best_of(3, lambda: kind.evaluate(party_ctx, config))  # noqa: B023
        line[f"{bonus_id}_seconds"] = round(seconds, 3)
        line[f"{bonus_id}_total"] = int(outcome.pay.sum())
    line["host_credit_lines"] = len(outcome_credits(party_ctx, party))
    return line


def outcome_credits(ctx: Context, plan: Plan) -> tuple[Any, ...]:
    kind = get_kind("party")
    assert kind is not None
    return tuple(kind.evaluate(ctx, plan.bonus("party")).credits)

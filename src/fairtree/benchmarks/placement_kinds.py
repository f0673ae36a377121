"""Benchmark: binary (weak leg and 2:1 pairs) and fast start alone on a synthetic month.

Runnable as ``python -m fairtree.benchmarks.placement_kinds 1000000 [seed]``. The network and its
orders are the ones ``bench close`` uses (generated once, cached in bench/out); the
context (tree, volumes, ranks) is built once, then each bonus is timed on its own.
Prints one JSON line with seconds, paid, pool and payees per bonus.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from fairtree.benchmarks.close import generate_input, load_input
from fairtree.engine.evaluate import build_context
from fairtree.engine.registry import get_kind
from fairtree.periods import Period
from fairtree.plans.load import parse_plan

PLAN = {
    "plan": {"name": "placement kinds bench"},
    "currency": "USD",
    "activity": {"min_pv": 50},
    "ranks": [{"name": "Builder", "conditions": {"pv": 100, "active_personal": 2}}],
    "bonuses": [
        {
            "id": "binary",
            "kind": "binary",
            "weak_leg_rate": "10%",
            "requires_active_legs": 2,
            "carry": {"max_carry": 5000},
            "cap": 20,
            "cap_by_rank": {"Builder": 500},
        },
        {
            "id": "pairs",
            "kind": "binary",
            "pairs": {"pair_volume": 100, "pair_amount": 10, "first_pair": "2:1"},
        },
        {
            "id": "fast_start",
            "kind": "fast_start",
            "days": 30,
            "rates": ["20%", "5%", "2%"],
            "receiver_needs_own_order": True,
        },
    ],
}


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    cache = Path("bench") / "out" / f"close-{members}-{seed}"  # as `bench close` caches
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        generate_input(members, seed, cache)
    inputs = load_input(cache)
    plan = parse_plan(PLAN, "bench").base
    started = time.perf_counter()
    ctx = build_context(inputs, plan, Period.parse("2026-01"))
    line: dict[str, object] = {
        "members": len(inputs.members),
        "orders": len(inputs.orders),
        "context_seconds": round(time.perf_counter() - started, 3),
    }
    started = time.perf_counter()
    assert ctx.placement is not None
    line["placement_tree_seconds"] = round(time.perf_counter() - started, 3)
    for bonus in plan.bonuses:
        kind = get_kind(bonus.kind)
        assert kind is not None
        started = time.perf_counter()
        outcome = kind.evaluate(ctx, bonus)
        line[bonus.id] = {
            "seconds": round(time.perf_counter() - started, 3),
            "paid_minor": outcome.paid,
            "pool_minor": outcome.pool,
            "payees": int((outcome.pay > 0).sum()),
        }
    print(json.dumps(line))


if __name__ == "__main__":
    main()

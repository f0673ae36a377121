"""The plan `fairtree bench close` evaluates: unilevel 7 levels with dynamic
compression, 8 ranks with a 50% max-leg rule, 3-generation matching, and binary with
carry when the binary kind is available."""

from __future__ import annotations

from typing import Any

from fairtree.engine.registry import get_kind

RANK_VOLUMES = (0, 200, 500, 1000, 2500, 5000, 10000, 25000)


def close_plan(with_binary: bool | None = None) -> dict[str, Any]:
    """The benchmark plan as a plan document (validated by the normal loader)."""
    if with_binary is None:
        with_binary = get_kind("binary") is not None
    ranks: list[dict[str, Any]] = []
    for i, volume in enumerate(RANK_VOLUMES):
        conditions: dict[str, Any] = {"pv": 50 if i else 0}
        if volume:
            conditions["max_leg"] = {"requirement": volume, "max_leg_percent": "50%"}
        if i >= 3:
            conditions["legs_with_rank"] = [{"rank": f"Rank{i - 2}", "legs": 2}]
        if i >= 1:
            conditions["active_personal"] = min(i, 3)
        ranks.append({"name": f"Rank{i}", "conditions": conditions})
    bonuses: list[dict[str, Any]] = [
        {
            "id": "unilevel",
            "kind": "unilevel",
            "rates": ["5%", "5%", "6%", "6%", "4%", "3%", "2%"],
            "depth_by_rank": {
                "Rank0": 2,
                "Rank1": 3,
                "Rank2": 4,
                "Rank3": 5,
                "Rank4": 6,
                "Rank5": 7,
            },
            "compression": "dynamic",
        },
        {
            "id": "matching",
            "kind": "matching",
            "of": ["unilevel"],
            "rates": ["10%", "5%", "5%"],
            "generations_by_rank": {"Rank3": 1, "Rank5": 2, "Rank7": 3},
            "min_rank": "Rank3",
        },
    ]
    if with_binary:
        bonuses.append(
            {
                "id": "binary",
                "kind": "binary",
                "weak_leg_rate": "10%",
                "carry": {"enabled": True, "max_carry": 50000},
                "cap_by_rank": {"Rank0": 500, "Rank4": 5000},
            }
        )
    return {
        "plan": {"name": "bench close", "description": "fairtree bench close"},
        "currency": "USD",
        "rounding": "half_up",
        "activity": {"min_pv": 50},
        "ranks": ranks,
        "bonuses": bonuses,
    }

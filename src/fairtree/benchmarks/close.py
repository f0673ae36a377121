"""`fairtree bench close`: evaluate one month over a synthetic network.

Generation runs in a child process and hands the engine input over as an .npz file,
so the evaluating process's peak RSS measures loading + evaluation only; generation
time and loading time are reported apart from ``seconds`` (evaluation, including
building the preorder tree).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from fairtree.engine.evaluate import evaluate
from fairtree.engine.inputs import EngineInput, Members, Orders
from fairtree.engine.result import Evaluation
from fairtree.genealogy.tree import Tree, build_tree
from fairtree.money import format_amount
from fairtree.periods import Period
from fairtree.plans.load import parse_plan

_MEMBER_FIELDS = ("sponsor", "joined_on", "status", "placement_parent", "placement_position")


def save_input(inputs: EngineInput, path: Path) -> None:
    arrays: dict[str, np.ndarray] = {f"m_{n}": getattr(inputs.members, n) for n in _MEMBER_FIELDS}
    for f in fields(Orders):
        if f.name != "ids":
            arrays[f"o_{f.name}"] = getattr(inputs.orders, f.name)
    np.savez(path, **arrays)  # type: ignore[arg-type]


def load_input(path: Path) -> EngineInput:
    data = np.load(path)
    n = data["m_sponsor"].shape[0]
    members = Members(ids=np.arange(n), **{k: data[f"m_{k}"] for k in _MEMBER_FIELDS})
    k = data["o_buyer"].shape[0]
    order_arrays = {f.name: data[f"o_{f.name}"] for f in fields(Orders) if f.name != "ids"}
    return EngineInput(members, Orders(ids=np.arange(k), **order_arrays))


def generate_input(members: int, seed: int, path: Path) -> None:
    """Child process: a synthetic company with one month of orders, as engine input."""
    from fairtree.engine.company_input import company_input
    from fairtree.simulation.synth import generate

    save_input(company_input(generate(members, 1, seed)), path)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_close(
    members: int, seed: int, workdir: Path
) -> tuple[dict[str, Any], Evaluation, EngineInput, Tree]:
    """The JSON line's fields, plus the evaluation, its input and tree for comparisons."""
    workdir.mkdir(parents=True, exist_ok=True)
    cache = workdir / f"close-{members}-{seed}.npz"
    generate_seconds = None
    if not cache.exists():
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
            [
                sys.executable,
                "-m",
                "fairtree.benchmarks.close",
                str(members),
                str(seed),
                str(cache),
            ],
            check=True,
        )
        generate_seconds = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    inputs = load_input(cache)
    load_seconds = time.perf_counter() - started
    document = parse_plan(_plan(), "bench-close")
    period = Period.parse("2026-01")
    build_tree(np.array([-1, 0]))  # compile the tree kernel before timing (cached on disk)
    started = time.perf_counter()
    tree = build_tree(inputs.members.sponsor)
    tree_seconds = time.perf_counter() - started
    result = evaluate(inputs, document, period, tree=tree)
    seconds = time.perf_counter() - started
    return (
        {
            "members": members,
            "orders": int(inputs.orders.buyer.shape[0]),
            "seconds": round(seconds, 3),
            "tree_seconds": round(tree_seconds, 3),
            "load_seconds": round(load_seconds, 3),
            "generate_seconds": generate_seconds,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "payout_total": format_amount(result.total_paid(), "USD"),
            "bonuses": {b: format_amount(o.paid, "USD") for b, o in result.outcomes.items()},
            "seed": seed,
        },
        result,
        inputs,
        tree,
    )


def _plan() -> dict[str, Any]:
    from fairtree.benchmarks.close_plan import close_plan

    return close_plan()


def main() -> None:
    members, seed, path = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    generate_input(members, seed, path)


if __name__ == "__main__":
    main()

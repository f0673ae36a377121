"""`fairtree bench close`: evaluate one month over a synthetic network.

Generation runs in a child process and hands the engine input over as one .npy file
per column, which the evaluating process memory-maps: its peak RSS measures loading
+ evaluation only, and a column the plan never reads is never paged in; generation
time and loading time are reported apart from ``seconds`` (evaluation, including
building the preorder tree). ``cpu_seconds`` is the process CPU time of the same span:
on a shared machine it depends less on what else runs than the wall clock does.

``gather_seconds`` is one random gather ``a[p]`` over an int64 array as long as the
network (best of three), timed in the same run just before the evaluation;
``gathers = seconds / gather_seconds`` says what the close costs in those units, a
figure that compares across machines and across a machine's speed drift.
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
from fairtree.engine.placement_legs import join_order_slot_volumes
from fairtree.engine.result import Evaluation
from fairtree.genealogy.network import build_placement_tree
from fairtree.genealogy.tree import Tree, build_tree
from fairtree.money import format_amount
from fairtree.periods import Period
from fairtree.plans.load import parse_plan

_MEMBER_FIELDS = ("sponsor", "joined_on", "status", "placement_parent", "placement_position")


def save_input(inputs: EngineInput, folder: Path) -> None:
    """One .npy file per column, so loading can memory-map them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in _MEMBER_FIELDS:
        np.save(folder / f"m_{name}.npy", getattr(inputs.members, name))
    for f in fields(Orders):
        column = getattr(inputs.orders, f.name)
        if f.name not in ("ids", "lines") and column is not None:
            np.save(folder / f"o_{f.name}.npy", column)
    (folder / "complete").write_text("ok\n")


def load_input(folder: Path) -> EngineInput:
    """Memory-mapped columns: a column the plan never reads is never paged in."""

    def column(name: str) -> np.ndarray:
        return np.load(folder / f"{name}.npy", mmap_mode="r")

    n = column("m_sponsor").shape[0]
    members = Members(
        ids=np.arange(n, dtype=np.int32), **{k: column(f"m_{k}") for k in _MEMBER_FIELDS}
    )
    k = column("o_buyer").shape[0]
    order_arrays: dict[str, Any] = {
        f.name: column(f"o_{f.name}")
        for f in fields(Orders)
        if f.name not in ("ids", "lines") and (folder / f"o_{f.name}.npy").exists()
    }
    return EngineInput(members, Orders(ids=np.arange(k, dtype=np.int32), **order_arrays))


def generate_input(members: int, seed: int, path: Path) -> None:
    """Child process: a synthetic company with one month of orders, as engine input."""
    from fairtree.simulation.engine_input import company_input
    from fairtree.simulation.synth import generate

    save_input(company_input(generate(members, 1, seed)), path)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cached_input(members: int, seed: int, workdir: Path) -> tuple[EngineInput, float | None]:
    """The synthetic month of ``members`` (generated in a child process on first use,
    then memory-mapped from ``workdir``), and the seconds generating took (None: cached)."""
    workdir.mkdir(parents=True, exist_ok=True)
    cache = workdir / f"close-{members}-{seed}"
    generate_seconds = None
    if not (cache / "complete").exists():
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
    return load_input(cache), generate_seconds


def run_close(
    members: int, seed: int, workdir: Path
) -> tuple[dict[str, Any], Evaluation, EngineInput, Tree]:
    """The JSON line's fields, plus the evaluation, its input and tree for comparisons."""
    started = time.perf_counter()
    inputs, generate_seconds = cached_input(members, seed, workdir)
    load_seconds = time.perf_counter() - started - (generate_seconds or 0)
    document = parse_plan(_plan(), "bench-close")
    period = Period.parse("2026-01")
    _warm_up_kernels()
    gather = gather_seconds(members, seed)
    started, cpu_started = time.perf_counter(), time.process_time()
    tree = build_tree(inputs.members.sponsor)
    tree_seconds = time.perf_counter() - started
    result = evaluate(inputs, document, period, tree=tree)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    return (
        {
            "members": members,
            "orders": int(inputs.orders.buyer.shape[0]),
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu_seconds, 3),
            "gather_seconds": round(gather, 6),
            "gathers": round(seconds / gather, 1),
            "tree_seconds": round(tree_seconds, 3),
            "load_seconds": round(load_seconds, 3),
            "generate_seconds": generate_seconds,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "payout_total": format_amount(result.total_paid(), "USD"),
            "bonuses": {b: format_amount(result.paid(b), "USD") for b in result.bonus_ids},
            "seed": seed,
        },
        result,
        inputs,
        tree,
    )


def gather_seconds(size: int, seed: int, repeats: int = 3) -> float:
    """Best time of a random gather ``values[positions]`` over ``size`` int64s."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 1 << 40, size=size, dtype=np.int64)
    positions = rng.permutation(size)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        gathered = values[positions]
        best = min(best, time.perf_counter() - started)
        del gathered
    return best


def compare_with_postgres(
    url: str, inputs: EngineInput, result: Evaluation, engine_seconds: float
) -> dict[str, Any]:
    """Group volume of the same network by a recursive CTE on PostgreSQL, against the
    engine's: load and query seconds, totals, and whether every member's figure agrees."""
    from fairtree.store.repositories.bulk.group_volume_cte import group_volume_by_cte

    cte = group_volume_by_cte(url, inputs.members.sponsor, result.pv)
    return {
        "load_seconds": round(cte.load_seconds, 3),
        "query_seconds": round(cte.query_seconds, 3),
        "group_volume_total": int(cte.group_volume.sum()),
        "engine_group_volume_total": int(result.group_volume.sum()),
        "same_per_member": bool((cte.group_volume == result.group_volume).all()),
        "ratio_query_to_engine_close": round(cte.query_seconds / engine_seconds, 1),
    }


def _warm_up_kernels() -> None:
    """Compile (or load from numba's disk cache) the tree kernels before timing, for
    the read-only arrays a memory-mapped input gives."""
    parent = np.array([-1, 0], dtype=np.int64)
    slot = np.array([-1, 0], dtype=np.int8)
    parent.setflags(write=False)
    slot.setflags(write=False)
    build_tree(parent)
    build_placement_tree(parent, slot)
    own = np.arange(2, dtype=np.int64)
    join_order_slot_volumes(parent, slot, own, own, own)


def _plan() -> dict[str, Any]:
    from fairtree.benchmarks.close_plan import close_plan

    return close_plan()


def main() -> None:
    members, seed, path = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    generate_input(members, seed, path)


if __name__ == "__main__":
    main()

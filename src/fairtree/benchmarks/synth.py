"""`fairtree bench synth`: time generating and writing a synthetic company."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from fairtree.genealogy.placement import BinaryRule, PlacementKind
from fairtree.simulation.dataset_writer import write_dataset
from fairtree.simulation.synth import generate


def run_synth(
    members: int, months: int, seed: int, placement: PlacementKind, binary_rule: BinaryRule
) -> dict[str, object]:
    """Generate (after a small run that compiles the kernels) and write to a temporary
    folder; the JSON line with counts, seconds of each step and bytes written."""
    generate(100, 1, seed, placement=placement.value, binary_rule=binary_rule.value)  # compile
    started = time.perf_counter()
    company = generate(
        members, months, seed, placement=placement.value, binary_rule=binary_rule.value
    )
    generated = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="fairtree-bench-synth-"))
    try:
        write_dataset(company, scratch / "company")
        written = time.perf_counter()
        size = sum(f.stat().st_size for f in (scratch / "company").iterdir())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {
        "bench": "synth",
        "members": len(company.members),
        "months": months,
        "placement": placement.value,
        "binary_rule": binary_rule.value if placement is PlacementKind.BINARY else None,
        "customers": len(company.customers),
        "orders": len(company.orders),
        "order_lines": len(company.order_lines),
        "generate_seconds": round(generated - started, 2),
        "write_seconds": round(written - generated, 2),
        "bytes": size,
    }
    return result

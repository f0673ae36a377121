"""`fairtree bench import`: generate a synthetic company, import it into a fresh SQLite
file, export it.

The company comes from ``fairtree.simulation.synth`` (network with churn, retail
customers, parties, multi-line orders, returns). Its buying model makes about 0.4 orders
per member per month of the run, so ``orders_per_member`` K picks a run of 2.5 K months;
the JSON line reports the counts actually generated.

Prints one JSON line. Generation runs in a child process, so ``peak_rss_mb`` is the
peak of the import and export alone. Wall-clock seconds depend on what else runs on the
machine; the ``*_cpu_seconds`` figures (all threads of this process) depend less on it.
``round_trip_identical`` compares the exported files with the generated ones byte for
byte.
"""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fairtree.services.datasets import export_dataset, import_dataset
from fairtree.store.database import make_engine, session_scope
from fairtree.store.migrate import upgrade

ORDERS_PER_MEMBER_MONTH = 0.4


def months_for(orders_per_member: int) -> int:
    return max(1, round(orders_per_member / ORDERS_PER_MEMBER_MONTH))


def write_synthetic_dataset(folder: Path, members: int, months: int, seed: int) -> None:
    """``fairtree synth`` in a child process, so its memory is not counted here."""
    command = [sys.executable, "-c", "from fairtree.cli.main import app; app()", "synth"]
    options = ["--members", str(members), "--months", str(months), "--seed", str(seed)]
    subprocess.run(  # noqa: S603 - our own interpreter and command, fixed arguments
        [*command, str(folder), *options], check=True, capture_output=True
    )


def _digest(folder: Path) -> dict[str, str]:
    digests = {}
    for path in sorted(folder.iterdir()):
        sha = hashlib.sha256()
        with path.open("rb") as stream:
            while block := stream.read(1 << 24):
                sha.update(block)
        digests[path.name] = sha.hexdigest()
    return digests


def run(
    members: int, orders_per_member: int = 5, seed: int = 1, dataset: Path | None = None
) -> dict[str, object]:
    """Time import and export; of ``dataset`` when given, else of a generated company."""
    with tempfile.TemporaryDirectory(prefix="fairtree-bench-") as scratch:
        root = Path(scratch)
        source, exported = dataset or root / "source", root / "exported"
        if dataset is None:
            write_synthetic_dataset(source, members, months_for(orders_per_member), seed)
        url = f"sqlite:///{root / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        started, cpu = time.perf_counter(), time.process_time()
        with session_scope(engine) as session:
            counts = import_dataset(session, source)
        import_seconds = time.perf_counter() - started
        import_cpu = time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        with session_scope(engine) as session:
            export_dataset(session, exported)
        export_seconds = time.perf_counter() - started
        export_cpu = time.process_time() - cpu
        engine.dispose()
        identical = _digest(source) == _digest(exported)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "dataset": str(dataset) if dataset else "synth",
        "members": counts.members,
        "months": None if dataset else months_for(orders_per_member),
        "customers": counts.customers,
        "orders": counts.orders,
        "order_lines": counts.order_lines,
        "import_seconds": round(import_seconds, 2),
        "export_seconds": round(export_seconds, 2),
        "import_cpu_seconds": round(import_cpu, 2),
        "export_cpu_seconds": round(export_cpu, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "round_trip_identical": identical,
    }


def main(members: int, orders_per_member: int, seed: int) -> None:
    print(json.dumps(run(members, orders_per_member, seed)))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5, 1)

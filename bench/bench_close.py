"""Benchmark: one month of a synthetic network through the compensation engine.

Same as ``fairtree bench close``; runnable as ``python bench/bench_close.py 1000000 [seed]``.
Prints one JSON line: members, orders, seconds (evaluation, including building the
preorder tree), tree_seconds, load_seconds, generate_seconds (child process, cached in
bench/out), peak_rss_mb (the evaluating process), payout_total and pay per bonus.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fairtree.benchmarks.close import run_close


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    line, *_ = run_close(members, seed, Path(__file__).parent / "out")
    print(json.dumps(line))


if __name__ == "__main__":
    main()

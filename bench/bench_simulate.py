"""Benchmark: 1,000,000 members over 36 months through the simulator (the close's engine
every month). Same as ``fairtree bench simulate``; ``python bench/bench_simulate.py [months]``.
Prints one JSON line."""

from __future__ import annotations

import json
import sys

from fairtree.benchmarks.simulate import bench_simulate

if __name__ == "__main__":
    print(json.dumps(bench_simulate(int(sys.argv[1]) if len(sys.argv) > 1 else 36)))

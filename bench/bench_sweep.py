"""Benchmark: a sweep of 100 runs of 100,000-member, 24-month companies on a local
two-worker Dask cluster, in runs per minute. Same as ``fairtree bench sweep``;
``python bench/bench_sweep.py [runs] [workers]``. Prints one JSON line."""

from __future__ import annotations

import json
import sys

from fairtree.benchmarks.simulate import bench_sweep

if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    print(json.dumps(bench_sweep(runs=runs, workers=workers)))

"""The load script's two think settings: realistic people sign in once per visit."""

from __future__ import annotations

import random
from collections import Counter

from fairtree.benchmarks.api_load import THINK, World, _pick, cpu_seconds


def test_realistic_people_never_sign_in_again_and_aggressive_ones_do() -> None:
    rng = random.Random(5)
    realistic = Counter(_pick(rng, THINK["realistic"]) for _ in range(4000))
    aggressive = Counter(_pick(rng, THINK["aggressive"]) for _ in range(4000))
    assert realistic["sign_in"] == 0
    assert 100 < aggressive["sign_in"] < 300  # 5 % of 4,000
    assert 1000 < realistic["dashboard"] < 1550  # 30 of the 95 weights left
    assert (THINK["realistic"].low, THINK["realistic"].high) == (1.0, 5.0)
    assert (THINK["aggressive"].low, THINK["aggressive"].high) == (0.05, 0.25)


def test_cpu_seconds_counts_this_process_at_least() -> None:
    before = cpu_seconds(World("", [], [], "", ""))
    sum(i * i for i in range(200_000))
    after = cpu_seconds(World("", [], [], "", ""))
    assert after["load_generator"] > before["load_generator"]
    assert after["api"] == 0.0  # no server started: no process group to count

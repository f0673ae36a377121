"""The simulated network obeys the known laws of random recursive trees.

scenarios/uniform-no-churn.yaml grows 100,000 members, each recruited by a uniformly
random earlier member, nobody leaving: a random recursive tree. Its laws: the share
recruiting exactly k tends to 2^-(k+1) (so half recruit nobody), the n-th joiner's mean
depth is H(n), and joiner i of N expects H(N-1) - H(i-1) recruits, so only about the
first N/e expect to recruit anyone (Gastwirth 1977).
"""

import math
from pathlib import Path

import numpy as np
import pytest

from fairtree.genealogy.tree import build_tree
from fairtree.simulation.population import Population
from fairtree.simulation.scenario import load_scenario
from fairtree.simulation.simulate import people_of

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "uniform-no-churn.yaml"
N = 100_000


@pytest.fixture(scope="module")
def people() -> Population:
    grown = people_of(load_scenario(SCENARIO), 30, 7)
    assert len(grown) == N
    assert (grown.left_month == np.iinfo(np.int32).max).all()  # nobody left
    return grown


def harmonic(n: np.ndarray) -> np.ndarray:
    """H(n) for an array of n >= 0 (exact partial sums)."""
    table = np.concatenate([[0.0], np.cumsum(1.0 / np.arange(1, int(n.max()) + 1))])
    return table[n]


def test_half_recruit_nobody_and_k_recruits_share_is_two_to_minus_k_plus_one(
    people: Population,
) -> None:
    recruits = people.recruits()
    assert abs((recruits == 0).mean() - 0.5) < 0.01
    for k in range(5):
        assert abs((recruits == k).mean() - 2.0 ** -(k + 1)) < 0.01, k


def test_mean_depth_of_the_nth_joiner_is_the_harmonic_number(people: Population) -> None:
    """E[depth of joiner n] = H(n). One tree's depths share a random offset from its
    first few members, so the law is checked on the average of 40 trees of 10,000, and
    on the 100,000-member tree through depth gained between early and late joiners."""
    scenario = load_scenario(SCENARIO)
    small = scenario.model_copy(
        update={"market": scenario.market.model_copy(update={"size": 10_000})}
    )
    depths = []
    for seed in range(40):
        tree = build_tree(people_of(small, 30, 100 + seed).sponsor)
        depths.append(tree.depth[tree.position])
    mean_depth = np.mean(depths, axis=0)
    for lo in (100, 1_000, 5_000, 9_000):
        window = np.arange(lo, lo + 500)
        expected = harmonic(window).mean()
        assert abs(mean_depth[window].mean() - expected) / expected < 0.015, lo

    tree = build_tree(people.sponsor)
    depth = tree.depth[tree.position]  # input order
    early, late = np.arange(1_000, 6_000), np.arange(90_000, 95_000)
    gained = depth[late].mean() - depth[early].mean()
    expected = harmonic(late).mean() - harmonic(early).mean()  # about ln(90) = 4.5 - 1.1
    assert abs(gained - expected) / expected < 0.04


def test_only_the_first_n_over_e_expect_to_recruit_anyone(people: Population) -> None:
    """Gastwirth: E[recruits of joiner i] = H(N-1) - H(i-1) (i from 1), >= 1 up to N/e."""
    recruits = people.recruits()
    i = np.arange(1, N + 1)
    expected = harmonic(np.full(N, N - 1)) - harmonic(i - 1)
    crossing = int(np.argmax(expected < 1))
    assert abs(crossing / N - 1 / math.e) < 0.001
    # observed means in 2% bands agree with the law, and cross 1 near N/e
    bands = recruits[: N // 50 * 50].reshape(50, -1).mean(axis=1)
    law = expected[: N // 50 * 50].reshape(50, -1).mean(axis=1)
    assert np.all(np.abs(bands[2:] - law[2:]) < 0.1)
    observed_crossing = (np.argmax(bands < 1) + 0.5) / 50
    assert abs(observed_crossing - 1 / math.e) < 0.03
    assert recruits[: int(N / math.e)].mean() > 1 > recruits[int(N / math.e) :].mean()

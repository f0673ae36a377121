"""Every rank's max-leg rule in one compiled pass, and the legs holding a rank, agree
with their numpy statements."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fairtree.engine.ranks import (
    active_children,
    legs_holding,
    legs_holding_numpy,
    max_leg_volume,
    max_legs_met,
)
from fairtree.genealogy.tree import build_tree


@st.composite
def forests(draw):
    n = draw(st.integers(1, 40))
    parent = [draw(st.integers(-1, k - 1)) if k else -1 for k in range(n)]
    pv = draw(st.lists(st.integers(0, 500), min_size=n, max_size=n))
    return np.array(parent, dtype=np.int64), np.array(pv, dtype=np.int64)


@settings(max_examples=200, deadline=None)
@given(forests(), st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3000)), max_size=4))
def test_one_pass_agrees_with_one_sum_per_rule(forest, rules):
    parent, pv_input = forest
    tree = build_tree(parent)
    pv = pv_input[tree.order]
    group_volume = tree.subtree_sum(pv)
    caps = np.array([cap for cap, _ in rules], dtype=np.int64)
    requirements = np.array([need for _, need in rules], dtype=np.int64)
    met = max_legs_met(tree, pv, group_volume, caps, requirements)
    assert met.shape == (tree.size, len(rules))
    for j, (cap, need) in enumerate(rules):
        expected = max_leg_volume(tree, pv, group_volume, cap) >= need
        assert (met[:, j] == expected).all()


def test_a_member_with_three_legs_counts_each_leg_up_to_the_cap():
    # A has legs B (with child C), D and E; caps 100 and 1000
    tree = build_tree(np.array([-1, 0, 1, 0, 0]))
    pv = np.array([10, 300, 200, 50, 0], dtype=np.int64)[tree.order]
    group_volume = tree.subtree_sum(pv)
    met = max_legs_met(tree, pv, group_volume, np.array([100, 1000]), np.array([210, 560]))
    a = int(tree.position[0])
    # cap 100: 10 + 100 + 50 + 0 = 160 < 210; cap 1000: 10 + 500 + 50 + 0 = 560
    assert met[a].tolist() == [False, True]


@settings(max_examples=200, deadline=None)
@given(forests(), st.data())
def test_legs_holding_agrees_with_subtree_sums(forest, data):
    parent, _ = forest
    tree = build_tree(parent)
    n = tree.size
    rank = np.array(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), np.int16)
    for at_least in range(6):
        expected = legs_holding_numpy(tree, rank, at_least)
        assert legs_holding(tree, rank, at_least).tolist() == expected.tolist()


def test_legs_holding_by_hand():
    # A has legs B (with child C of rank 2), D (rank 1) and E (rank 2)
    tree = build_tree(np.array([-1, 0, 1, 0, 0]))
    rank = np.array([0, 0, 2, 1, 2], dtype=np.int16)[tree.order]
    legs = legs_holding(tree, rank, 2)[tree.position]
    assert legs.tolist() == [2, 1, 0, 0, 0]


@settings(max_examples=200, deadline=None)
@given(forests(), st.data())
def test_active_children_counts_as_the_frontline_sum(forest, data):
    parent, _ = forest
    tree = build_tree(parent)
    active = np.array(data.draw(st.lists(st.booleans(), min_size=tree.size, max_size=tree.size)))
    expected = tree.children_sum(active.astype(np.int64))
    assert active_children(tree, active).tolist() == expected.tolist()

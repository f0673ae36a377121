"""The compiled sum into parents and the per-level sums the level kinds pay from agree
with their plain numpy forms and with walking each source up its chain."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fairtree.engine.breakaway import marked_above
from fairtree.engine.evaluate import subtree_sums
from fairtree.engine.levels import (
    level_sums,
    paid_level_sums,
    paid_level_sums_in_preorder,
    paid_level_sums_numpy,
    walk_levels,
)
from fairtree.genealogy.compress import compressed_parent
from fairtree.genealogy.tree import build_tree, sum_into, sum_into_numpy


@st.composite
def forests(draw, max_members=40):
    n = draw(st.integers(1, max_members))
    parent = [-1] + [draw(st.integers(-1, k - 1)) for k in range(1, n)]
    values = draw(st.lists(st.integers(0, 10**12), min_size=n, max_size=n))
    keep = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return np.array(parent), np.array(values, dtype=np.int64), np.array(keep)


@given(forests())
@settings(max_examples=200, deadline=None)
def test_sum_into_matches_numpy(forest):
    parent, values, _ = forest
    assert sum_into(parent, values).tolist() == sum_into_numpy(parent, values).tolist()


@given(forests(), st.integers(1, 6), st.booleans())
@settings(max_examples=200, deadline=None)
def test_level_sums_equal_walking_every_source(forest, levels, compressed):
    parent, values, keep = forest
    tree = build_tree(parent)
    keep = keep[tree.order]
    values = values[tree.order]
    up = marked_above(tree, keep) if compressed else tree.parent
    if compressed:
        assert up.tolist() == compressed_parent(tree.parent, keep).tolist()
    walked = {}
    sources = np.flatnonzero(values > 0)
    everyone = np.ones(tree.size, dtype=bool)
    depth = np.full(tree.size, levels)
    for level, src, receivers, _ in walk_levels(up, sources, levels, everyone, depth):
        sums = np.zeros(tree.size, dtype=np.int64)
        np.add.at(sums, receivers, values[src])
        walked[level] = sums.tolist()
    summed = {level: sums.tolist() for level, sums in level_sums(up, values, levels)}
    assert summed == walked


def test_level_sums_by_hand():
    # A <- B <- C <- D (a chain); D's 5 reaches C at level 1, B at 2, A at 3
    parent = np.array([-1, 0, 1, 2])
    values = np.array([1, 2, 3, 5])
    got = {level: sums.tolist() for level, sums in level_sums(parent, values, 3)}
    assert got == {1: [2, 3, 5, 0], 2: [3, 5, 0, 0], 3: [5, 0, 0, 0]}


@given(forests(), st.data(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_paid_level_sums_compiled_matches_numpy(forest, data, compressed):
    parent, values, keep = forest
    tree = build_tree(parent)
    up = marked_above(tree, keep[tree.order]) if compressed else tree.parent
    n = tree.size
    values = np.minimum(values[tree.order], 10**9)  # rate x sums stays inside int64
    rates = data.draw(st.lists(st.integers(0, 1_000_000), min_size=1, max_size=7))
    eligible = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    depth = np.array(data.draw(st.lists(st.integers(0, 8), min_size=n, max_size=n)))
    compiled = paid_level_sums(up, values, rates, eligible, depth)
    plain = paid_level_sums_numpy(up, values, rates, eligible, depth)
    assert compiled.tolist() == plain.tolist()


def test_paid_level_sums_by_hand():
    # A <- B <- C <- D: A is paid 2 levels at 10 and 20, B one level at 10, C none
    parent = np.array([-1, 0, 1, 2])
    values = np.array([1, 2, 3, 5])
    eligible = np.array([True, True, False, True])
    depth = np.array([2, 1, 3, 3])
    got = paid_level_sums(parent, values, [10, 20, 30], eligible, depth)
    assert got.tolist() == [10 * 2 + 20 * 3, 10 * 3, 0, 0]


@given(forests(), st.integers(0, 50))
@settings(max_examples=100, deadline=None)
def test_sum_into_a_longer_or_shorter_target_matches_numpy(forest, size):
    parent, values, _ = forest
    target = np.where(parent < size, parent, -1)  # targets past ``size`` are skipped
    got = sum_into(target, values, size)
    assert got.shape == (size,)
    assert got.tolist() == sum_into_numpy(target, values, size).tolist()


@given(forests(), st.data(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_paid_level_sums_in_one_preorder_pass_match_numpy(forest, data, compressed):
    parent, values, keep = forest
    tree = build_tree(parent)
    marked = keep[tree.order] if compressed else None
    up = marked_above(tree, marked) if compressed else tree.parent
    n = tree.size
    values = np.minimum(values[tree.order], 10**9)
    rates = data.draw(st.lists(st.integers(0, 1_000_000), min_size=1, max_size=7))
    eligible = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    depth = np.array(data.draw(st.lists(st.integers(0, 8), min_size=n, max_size=n)))
    one_pass = paid_level_sums_in_preorder(tree, marked, values, rates, eligible, depth)
    plain = paid_level_sums_numpy(up, values, rates, eligible, depth)
    assert one_pass.tolist() == plain.tolist()


def test_paid_level_sums_in_preorder_by_hand_and_on_a_deep_chain():
    # root 0 with children 1 and 3; 2 under 1. Compressed: 1 is not a receiver.
    tree = build_tree(np.array([-1, 0, 1, 0]))
    values = np.array([0, 100, 10, 1])
    yes = np.ones(4, dtype=bool)
    depth = np.full(4, 3)
    marked = np.array([True, False, True, True])
    got = paid_level_sums_in_preorder(tree, marked, values, [10, 20, 30], yes, depth)
    # 0 takes 1's 100 and 3's 1 at level 1, and 2's 10 at level 1 too (1 skipped)
    assert got.tolist() == [10 * (100 + 10 + 1), 0, 0, 0]
    uncompressed = paid_level_sums_in_preorder(tree, None, values, [10, 20, 30], yes, depth)
    assert uncompressed.tolist() == [10 * 101 + 20 * 10, 10 * 10, 0, 0]
    # a chain deeper than the stack table allows takes the per-level passes
    n = 30_000
    chain = build_tree(np.arange(-1, n - 1))
    ones, everyone, three = np.ones(n, dtype=np.int64), np.ones(n, dtype=bool), np.full(n, 3)
    deep = paid_level_sums_in_preorder(chain, None, ones, [1, 2, 3], everyone, three)
    assert deep.tolist() == [6] * (n - 3) + [3, 1, 0]
    plain = paid_level_sums_numpy(chain.parent, ones, [1, 2, 3], everyone, three)
    assert deep.tolist() == plain.tolist()


@given(forests())
@settings(max_examples=200, deadline=None)
def test_subtree_sums_by_one_pass_equal_prefix_sums(forest):
    parent, values, _ = forest
    tree = build_tree(parent)
    values = values[tree.order]
    assert subtree_sums(tree, values).tolist() == tree.subtree_sum(values).tolist()

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairtree.errors import CycleError, UnknownMemberError
from fairtree.genealogy.network import build_placement_tree
from fairtree.genealogy.tree import build_tree, build_tree_numpy, build_tree_reference


@st.composite
def forests(draw, max_size=40):
    """Random forests in shuffled order: member k's parent is an earlier member or -1."""
    n = draw(st.integers(1, max_size))
    parents = [-1] + [draw(st.integers(-1, k - 1)) for k in range(1, n)]
    perm = draw(st.permutations(range(n)))
    shuffled = [-1] * n
    for k in range(n):
        shuffled[perm[k]] = perm[parents[k]] if parents[k] >= 0 else -1
    return shuffled


def test_small_tree_preorder():
    #     0
    #   1   2
    #  3
    tree = build_tree([-1, 0, 0, 1])
    assert tree.order.tolist() == [0, 1, 3, 2]
    assert tree.parent.tolist() == [-1, 0, 1, 0]
    assert tree.depth.tolist() == [0, 1, 2, 1]
    assert tree.end.tolist() == [4, 3, 3, 4]
    assert tree.subtree_sum(np.array([1, 2, 4, 8])).tolist() == [15, 6, 4, 8]
    assert tree.children_sum(np.array([1, 2, 4, 8])).tolist() == [10, 4, 0, 0]


def test_parents_listed_after_children():
    tree = build_tree([2, 2, -1])
    assert tree.order.tolist() == [2, 0, 1]
    assert tree.position.tolist() == [1, 2, 0]


@settings(max_examples=200, deadline=None)
@given(forests())
def test_matches_reference_dfs(parents):
    slow = build_tree_reference(parents)
    for fast in (build_tree(parents), build_tree_numpy(parents)):
        for field in ("order", "position", "parent", "depth", "end"):
            assert getattr(fast, field).tolist() == getattr(slow, field).tolist(), field


@settings(max_examples=100, deadline=None)
@given(forests(), st.data())
def test_sibling_key_same_in_both(parents, data):
    key = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=len(parents), max_size=len(parents)))
    )
    a = build_tree(parents, sibling_key=key)
    b = build_tree_numpy(parents, sibling_key=key)
    assert a.order.tolist() == b.order.tolist()
    assert a.end.tolist() == b.end.tolist()


@pytest.mark.parametrize("builder", [build_tree, build_tree_numpy])
def test_loop_named_by_both(builder):
    with pytest.raises(CycleError, match="member c"):
        builder([-1, 0, 3, 2], ids=["a", "b", "c", "d"])


def test_loop_is_named():
    with pytest.raises(CycleError, match="member b loops"):
        build_tree([-1, 2, 1, 1], ids=["a", "b", "c", "d"])


def test_self_loop_is_named():
    with pytest.raises(CycleError, match="member #1"):
        build_tree([-1, 1])


def test_unknown_parent_is_named():
    with pytest.raises(UnknownMemberError, match="member y names an unknown parent"):
        build_tree([-1, 7], ids=["x", "y"])


def test_ancestor_steps():
    tree = build_tree([-1, 0, 1, 2])
    assert tree.ancestor(2).tolist() == [-1, -1, 0, 1]


def test_placement_orders_left_before_right():
    # member 1 is the right child, member 2 the left child of 0
    placement = build_placement_tree(np.array([-1, 0, 0]), np.array([-1, 1, 0]))
    assert placement.tree.order.tolist() == [0, 2, 1]
    assert placement.leg.tolist() == [-1, 0, 1]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_join_order_kernel_matches_depth_first_walk(data):
    """Members in join order (parent index below the child's) take the sequential kernel."""
    n = data.draw(st.integers(1, 50))
    parents = [-1] + [data.draw(st.integers(-1, k - 1)) for k in range(1, n)]
    key = np.array(data.draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n)))
    for sibling_key in (None, key):
        fast = build_tree(parents, sibling_key=sibling_key)
        slow = build_tree_numpy(parents, sibling_key=sibling_key)
        for field in ("order", "position", "parent", "depth", "end"):
            assert getattr(fast, field).tolist() == getattr(slow, field).tolist(), field
    plain = build_tree_reference(parents)
    assert build_tree(parents).order.tolist() == plain.order.tolist()

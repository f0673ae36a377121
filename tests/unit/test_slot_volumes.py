"""Slot volumes from the placement columns in join order, against the placement tree."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fairtree.engine.placement_legs import (
    PlacementView,
    join_order_slot_volumes,
    placement_subtree_volume,
    slot_volume,
)
from fairtree.genealogy.network import build_placement_tree
from fairtree.genealogy.tree import build_tree


@st.composite
def joined_networks(draw, max_size=40):
    """Sponsor parents in any order; placement parents in join order, slots 0..2 (a
    slot taken twice now and then), volumes per member."""
    n = draw(st.integers(1, max_size))
    sponsor = [-1] + [draw(st.integers(-1, k - 1)) for k in range(1, n)]
    perm = draw(st.permutations(range(n)))
    shuffled = [-1] * n
    for k in range(n):
        shuffled[perm[k]] = perm[sponsor[k]] if sponsor[k] >= 0 else -1
    placement = [-1] + [draw(st.integers(-1, k - 1)) for k in range(1, n)]
    slot = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    slot = [-1 if p < 0 else s for p, s in zip(placement, slot, strict=True)]
    volume = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n))
    return shuffled, placement, slot, volume


def test_two_legs_by_hand():
    #   0 (volume 1)          placement: 1 left of 0, 2 right of 0, 3 left of 1
    # 1 (2)   2 (4)
    # 3 (8)
    sponsor = build_tree([-1, 0, 0, 0])  # preorder 0, 1, 2, 3: the same numbering
    out = join_order_slot_volumes(
        np.array([-1, 0, 0, 1]),
        np.array([-1, 0, 1, 0], dtype=np.int8),
        np.array([0, 1]),
        sponsor.position,
        np.array([1, 2, 4, 8]),
    )
    assert out.tolist() == [[10, 8, 0, 0], [4, 0, 0, 0]]


@settings(max_examples=200, deadline=None)
@given(joined_networks())
def test_join_order_pass_agrees_with_placement_tree(network):
    sponsor_parent, placement_parent, slot, volume_in = network
    sponsor = build_tree(sponsor_parent)
    placed = build_placement_tree(np.array(placement_parent), np.array(slot, dtype=np.int8))
    view = PlacementView(
        placed.tree,
        placed.leg,
        to_sponsor=sponsor.position[placed.tree.order],
        to_placement=placed.tree.position[sponsor.order],
    )
    volume = np.array(volume_in, dtype=np.int64)[sponsor.order]  # sponsor preorder
    subtree = placement_subtree_volume(view, volume)
    slots = (0, 1, 2)
    fast = join_order_slot_volumes(
        np.array(placement_parent, dtype=np.int64),
        np.array(slot, dtype=np.int8),
        np.array(slots, dtype=np.int64),
        sponsor.position,
        volume,
    )
    for k, s in enumerate(slots):
        assert fast[k].tolist() == slot_volume(view, subtree, s).tolist(), s

"""The two trees of a network side by side: sponsor tree and placement tree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fairtree.genealogy.tree import Tree, build_tree


@dataclass(frozen=True)
class PlacementTree:
    """The placement tree (binary or matrix) in its own preorder.

    ``leg[i]`` is the slot member ``i`` holds under its placement parent (0 = left,
    1 = right in a binary tree; 1..W in a matrix; -1 for a root).
    """

    tree: Tree
    leg: np.ndarray  # int8, in this tree's preorder


def build_placement_tree(
    placement_parent: np.ndarray,
    placement_position: np.ndarray,
    ids: Sequence[object] | np.ndarray | None = None,
) -> PlacementTree:
    """Placement tree arrays; members without a parent are roots of their own."""
    position = np.asarray(placement_position, dtype=np.int8)
    tree = build_tree(placement_parent, ids=ids, sibling_key=position)
    return PlacementTree(tree=tree, leg=position[tree.order])

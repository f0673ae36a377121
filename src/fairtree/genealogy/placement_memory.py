"""A placement tree held in plain dicts: the obviously-correct reference for bulk placement.

It implements :class:`~fairtree.genealogy.placement.PlacementView` (leg weight = members
in the leg) and places members one call at a time with the single-member rules. Tests
replay whole networks through it to check the fast bulk kernels.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from fairtree.errors import UnknownMemberError
from fairtree.genealogy.placement import (
    BinaryRule,
    PlacementKind,
    place_automatically,
    place_forced,
)


class InMemoryPlacement:
    """Placement children and leg sizes of a growing tree, keyed by any hashable node."""

    def __init__(self, kind: PlacementKind | str, width: int | None = None) -> None:
        self.kind = PlacementKind(kind)
        self.width = 2 if self.kind is PlacementKind.BINARY else width
        self._children: dict[Hashable, dict[int, Hashable]] = {}
        self._parent: dict[Hashable, Hashable | None] = {}
        self._size: dict[Hashable, int] = {}
        self._enrolled: dict[Hashable, int] = {}

    def contains(self, node: Hashable) -> bool:
        return node in self._parent

    def child(self, parent: Hashable, position: int) -> Hashable | None:
        return self._children.get(parent, {}).get(position)

    def leg_weight(self, parent: Hashable, position: int) -> int:
        below = self.child(parent, position)
        return 0 if below is None else self._size[below]

    def add_root(self, node: Hashable) -> None:
        """A member with no placement parent (the top of the tree)."""
        self._attach(node, None, -1)

    def place_new(
        self, node: Hashable, sponsor: Hashable, rule: BinaryRule | str = BinaryRule.WEAKER_LEG
    ) -> tuple[Hashable, int]:
        """Place ``node`` enrolled by ``sponsor`` by the tree's automatic rule."""
        if not self.contains(sponsor):
            raise UnknownMemberError(f"sponsor {sponsor!r} is not in the placement tree")
        before = self._enrolled.get(sponsor, 0)
        parent, position = place_automatically(
            self, sponsor, self.kind, rule, self.width, enrollments_before=before
        )
        self._enrolled[sponsor] = self._enrolled.get(sponsor, 0) + 1
        self._attach(node, parent, position)
        return parent, position

    def place_at(self, node: Hashable, parent: Hashable, position: int) -> None:
        """Place ``node`` in a slot chosen by hand (refused if taken or out of range)."""
        place_forced(self, parent, position, self.kind, self.width)
        self._attach(node, parent, position)

    def _attach(self, node: Hashable, parent: Hashable | None, position: int) -> None:
        self._parent[node] = parent
        self._size[node] = 1
        if parent is None:
            return
        self._children.setdefault(parent, {})[position] = node
        up: Hashable | None = parent
        while up is not None:
            self._size[up] += 1
            up = self._parent[up]


def place_one_by_one(
    sponsor: Sequence[int] | np.ndarray,
    kind: PlacementKind | str,
    rule: BinaryRule | str = BinaryRule.WEAKER_LEG,
    width: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """Reference for bulk placement: members ``0..n-1`` in join order, one call each."""
    tree = InMemoryPlacement(kind, width)
    n = len(sponsor)
    parent = np.full(n, -1, dtype=np.int64)
    position = np.full(n, -1, dtype=np.int8)
    for member, enroller in enumerate(np.asarray(sponsor, dtype=np.int64).tolist()):
        if enroller < 0:
            tree.add_root(member)
            continue
        above, slot = tree.place_new(member, enroller, rule)
        parent[member] = int(above)  # type: ignore[call-overload]  # nodes are ints here
        position[member] = slot
    return parent, position

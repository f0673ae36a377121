"""The stored placement tree seen through :class:`fairtree.genealogy.placement.PlacementView`.

The placement rules ask one slot at a time; this view answers from a cache and fills it
in batches, so an enrollment costs a handful of queries rather than one per node:

- binary: a miss on slot (node, side) loads the whole chain that keeps taking ``side``
  below ``node`` (one recursive query), which is exactly what the outer-leg walk needs;
- matrix: a miss on a node loads the children of every known node on the same level
  (one query per level), which is exactly what the breadth-first spillover visits.

A view is built for one attempt inside one transaction; a retry builds a new one. For a
move, the member being moved is "lifted": its slot reads as open and nothing below it is
visible, so it can never be placed inside its own leg.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fairtree.genealogy.placement import BINARY_POSITION_LABELS, PlacementKind
from fairtree.store.repositories.network import genealogy as tree_repo


def position_to_text(kind: PlacementKind | str, position: int) -> str:
    """Stored form of a position: ``L``/``R`` in a binary tree, the number in a matrix."""
    if PlacementKind(kind) is PlacementKind.BINARY:
        return BINARY_POSITION_LABELS[position]
    return str(position)


def position_from_text(kind: PlacementKind | str, text: str) -> int:
    """Inverse of :func:`position_to_text`; ValueError for text the tree cannot hold."""
    if PlacementKind(kind) is PlacementKind.BINARY:
        label = text.strip().upper()
        if label not in BINARY_POSITION_LABELS:
            raise ValueError(f"binary position must be L or R, got {text!r}")
        return BINARY_POSITION_LABELS.index(label)
    return int(text)


class StorePlacementView:
    """Read-only, cached view of the placement slots in the database (ids are primary keys)."""

    def __init__(
        self,
        session: Session,
        kind: PlacementKind | str,
        width: int | None,
        lifted: int | None = None,
    ) -> None:
        """``lifted``: a member being moved; its slot looks open and its leg invisible."""
        self._session = session
        self._lifted = lifted
        self.kind = PlacementKind(kind)
        self.width = 2 if self.kind is PlacementKind.BINARY else int(width or 0)
        self._slots: dict[tuple[int, int], int | None] = {}
        self._level: dict[int, int] = {}
        self._by_level: dict[int, list[int]] = {}
        self._expanded: set[int] = set()
        self._known: set[int] = set()

    def contains(self, node: int) -> bool:
        if node in self._known:
            return True
        if tree_repo.member_exists(self._session, node):
            self._known.add(node)
            return True
        return False

    def child(self, parent: int, position: int) -> int | None:
        key = (parent, position)
        if key not in self._slots:
            if self.kind is PlacementKind.BINARY:
                self._load_outer_leg(parent, position)
            else:
                self._load_level(parent)
        below = self._slots[key]
        return None if below is not None and below == self._lifted else below

    def leg_weight(self, parent: int, position: int) -> int:
        """Members in the leg under slot (parent, position); 0 when the slot is open."""
        below = self.child(parent, position)
        return 0 if below is None else tree_repo.placement_subtree_size(self._session, below)

    def _load_outer_leg(self, start: int, side: int) -> None:
        chain = tree_repo.outer_leg(self._session, start, position_to_text(self.kind, side))
        above = start
        for node in chain:
            self._slots[(above, side)] = node
            self._known.add(node)
            above = node
        self._slots[(above, side)] = None

    def _load_level(self, parent: int) -> None:
        if parent not in self._level:
            self._level[parent] = 0
            self._by_level.setdefault(0, []).append(parent)
        level = self._level[parent]
        batch = [node for node in self._by_level[level] if node not in self._expanded]
        for node in batch:
            self._expanded.add(node)
            for position in range(1, self.width + 1):
                self._slots[(node, position)] = None
        for above, label, node in tree_repo.placement_children(self._session, batch):
            assert above is not None and label is not None  # selected by placement parent
            position = position_from_text(self.kind, label)
            self._slots[(above, position)] = node
            self._level[node] = level + 1
            self._by_level.setdefault(level + 1, []).append(node)
            self._known.add(node)

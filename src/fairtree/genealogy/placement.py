"""Where a new member lands in the placement tree (binary or forced matrix).

The rules here decide one member at a time and only look at the tree through a small
:class:`PlacementView`, so the store's enroll operation and the in-memory generator use
the same code. :mod:`fairtree.genealogy.placement_bulk` places many members at once and
is tested to agree with these functions member by member.

Positions: a binary tree uses ``0`` (left, ``L``) and ``1`` (right, ``R``); a forced
matrix of width W uses ``1..W`` left to right.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from enum import StrEnum
from typing import Protocol, TypeVar

from fairtree.errors import PositionOutOfRangeError, SlotTakenError, UnknownMemberError

LEFT = 0
RIGHT = 1
BINARY_POSITION_LABELS = ("L", "R")

Node = TypeVar("Node", bound=Hashable)


class PlacementKind(StrEnum):
    """The placement tree kept beside the sponsor tree."""

    NONE = "none"
    BINARY = "binary"
    MATRIX = "matrix"


class BinaryRule(StrEnum):
    """How a binary tree places a new member under their sponsor automatically."""

    OUTER_LEFT = "outer_left"  # bottom of the sponsor's outer left leg
    OUTER_RIGHT = "outer_right"  # bottom of the sponsor's outer right leg
    WEAKER_LEG = "weaker_leg"  # the leg with the smaller weight, then down its outer edge
    ALTERNATE = "alternate"  # left, right, left, ... by the sponsor's enrollment count


class PlacementView(Protocol[Node]):
    """What the placement rules need to know about the current tree."""

    def contains(self, node: Node) -> bool:
        """Whether ``node`` is a member of the tree."""
        ...

    def child(self, parent: Node, position: int) -> Node | None:
        """The member in slot ``(parent, position)``, or None if the slot is open."""
        ...

    def leg_weight(self, parent: Node, position: int) -> int:
        """Weight of the leg under slot ``(parent, position)`` (members or volume); 0 if open."""
        ...


def check_position(kind: PlacementKind | str, position: int, width: int | None = None) -> None:
    """Refuse a position the tree does not have."""
    kind = PlacementKind(kind)
    if kind is PlacementKind.BINARY:
        if position not in (LEFT, RIGHT):
            raise PositionOutOfRangeError(
                f"binary position must be {LEFT} (L) or {RIGHT} (R), got {position!r}"
            )
    elif kind is PlacementKind.MATRIX:
        if width is None or width < 2:
            raise PositionOutOfRangeError(f"matrix width must be at least 2, got {width!r}")
        if not 1 <= position <= width:
            raise PositionOutOfRangeError(f"matrix position must be 1..{width}, got {position!r}")
    else:
        raise PositionOutOfRangeError("a company without a placement tree has no positions")


def _require_member(view: PlacementView[Node], node: Node, role: str) -> None:
    if not view.contains(node):
        raise UnknownMemberError(f"{role} {node!r} is not in the placement tree")


def outer_bottom(view: PlacementView[Node], start: Node, side: int) -> Node:
    """Follow ``side`` children from ``start`` until a node whose ``side`` slot is open."""
    node = start
    while (below := view.child(node, side)) is not None:
        node = below
    return node


def place_binary(
    view: PlacementView[Node],
    sponsor: Node,
    rule: BinaryRule | str,
    enrollments_before: int = 0,
) -> tuple[Node, int]:
    """Parent and side for a new member enrolled by ``sponsor`` under ``rule``.

    ``enrollments_before`` is how many members the sponsor enrolled before this one
    (only the ``alternate`` rule uses it: even counts go left, odd go right).
    Ties of the ``weaker_leg`` rule go left.
    """
    rule = BinaryRule(rule)
    _require_member(view, sponsor, "sponsor")
    if rule is BinaryRule.OUTER_LEFT:
        side = LEFT
    elif rule is BinaryRule.OUTER_RIGHT:
        side = RIGHT
    elif rule is BinaryRule.WEAKER_LEG:
        left, right = view.leg_weight(sponsor, LEFT), view.leg_weight(sponsor, RIGHT)
        side = LEFT if left <= right else RIGHT
    else:
        if enrollments_before < 0:
            raise ValueError("enrollments_before cannot be negative")
        side = enrollments_before % 2
    return outer_bottom(view, sponsor, side), side


def place_matrix(view: PlacementView[Node], sponsor: Node, width: int) -> tuple[Node, int]:
    """First open slot under ``sponsor`` breadth first, left to right (spillover)."""
    if width < 2:
        raise PositionOutOfRangeError(f"matrix width must be at least 2, got {width!r}")
    _require_member(view, sponsor, "sponsor")
    queue: deque[Node] = deque([sponsor])
    while queue:
        node = queue.popleft()
        for position in range(1, width + 1):
            below = view.child(node, position)
            if below is None:
                return node, position
            queue.append(below)
    raise AssertionError("a finite tree always has an open slot")  # pragma: no cover


def place_automatically(
    view: PlacementView[Node],
    sponsor: Node,
    kind: PlacementKind | str,
    rule: BinaryRule | str = BinaryRule.WEAKER_LEG,
    width: int | None = None,
    enrollments_before: int = 0,
) -> tuple[Node, int]:
    """Where the company's automatic rule puts a new member enrolled by ``sponsor``."""
    kind = PlacementKind(kind)
    if kind is PlacementKind.BINARY:
        return place_binary(view, sponsor, rule, enrollments_before)
    if kind is PlacementKind.MATRIX:
        if width is None:
            raise PositionOutOfRangeError("a matrix needs its width")
        return place_matrix(view, sponsor, width)
    raise PositionOutOfRangeError("a company without a placement tree places nobody")


def place_forced(
    view: PlacementView[Node],
    parent: Node,
    position: int,
    kind: PlacementKind | str,
    width: int | None = None,
) -> tuple[Node, int]:
    """Check that slot ``(parent, position)`` can take a member chosen by hand."""
    check_position(kind, position, width)
    _require_member(view, parent, "placement parent")
    taken_by = view.child(parent, position)
    if taken_by is not None:
        raise SlotTakenError(
            f"slot {position_label(kind, position)} under {parent!r} is taken by {taken_by!r}"
        )
    return parent, position


def position_label(kind: PlacementKind | str, position: int) -> str:
    """``L``/``R`` in a binary tree, the number in a matrix."""
    if PlacementKind(kind) is PlacementKind.BINARY and position in (LEFT, RIGHT):
        return BINARY_POSITION_LABELS[position]
    return str(position)

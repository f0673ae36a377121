"""Placement rules on small trees worked out by hand, and their errors."""

from collections.abc import Hashable

import pytest

from fairtree.errors import PositionOutOfRangeError, SlotTakenError, UnknownMemberError
from fairtree.genealogy.placement import (
    LEFT,
    RIGHT,
    BinaryRule,
    check_position,
    place_automatically,
    place_binary,
    place_matrix,
    position_label,
)
from fairtree.genealogy.placement_memory import InMemoryPlacement


def binary_tree(rule: str, enrollments: list[tuple[str, str]]) -> dict[str, tuple[Hashable, int]]:
    """Enroll (member, sponsor) pairs in order under A; return where each landed."""
    tree = InMemoryPlacement("binary")
    tree.add_root("A")
    return {member: tree.place_new(member, sponsor, rule) for member, sponsor in enrollments}


def test_outer_left_walks_the_sponsors_left_edge_to_its_bottom():
    placed = binary_tree("outer_left", [("B", "A"), ("C", "A"), ("D", "A"), ("E", "B"), ("F", "E")])
    assert placed == {
        "B": ("A", LEFT),
        "C": ("B", LEFT),
        "D": ("C", LEFT),
        "E": ("D", LEFT),  # B's outer left edge is B-C-D
        "F": ("E", LEFT),
    }


def test_outer_right_walks_the_sponsors_right_edge_to_its_bottom():
    placed = binary_tree("outer_right", [("B", "A"), ("C", "A"), ("D", "B")])
    assert placed == {"B": ("A", RIGHT), "C": ("B", RIGHT), "D": ("C", RIGHT)}


def test_weaker_leg_places_in_the_smaller_leg_then_down_its_outer_edge():
    placed = binary_tree(
        "weaker_leg",
        [("B", "A"), ("C", "A"), ("D", "A"), ("E", "A"), ("F", "B"), ("G", "A")],
    )
    assert placed["B"] == ("A", LEFT)  # 0 vs 0: a tie goes left
    assert placed["C"] == ("A", RIGHT)  # left 1, right 0
    assert placed["D"] == ("B", LEFT)  # 1 vs 1: left, bottom of the left edge A-B
    assert placed["E"] == ("C", RIGHT)  # left 2, right 1: bottom of the right edge A-C
    assert placed["F"] == ("B", RIGHT)  # B: left leg D (1), right leg empty
    assert placed["G"] == ("E", RIGHT)  # left B,D,F = 3 > right C,E = 2


def test_weaker_leg_uses_the_views_leg_weight():
    class VolumeView:
        """Left leg has more members but less volume: volume decides."""

        def contains(self, node):
            return node in {"A", "B", "C", "D"}

        def child(self, parent, position):
            return {("A", 0): "B", ("A", 1): "C", ("B", 0): "D"}.get((parent, position))

        def leg_weight(self, parent, position):
            return {("A", 0): 100, ("A", 1): 900}.get((parent, position), 0)

    assert place_binary(VolumeView(), "A", "weaker_leg") == ("D", LEFT)  # A-B-D edge


def test_alternate_switches_legs_by_the_sponsors_enrollment_count():
    placed = binary_tree(
        "alternate", [("B", "A"), ("C", "A"), ("D", "A"), ("E", "A"), ("F", "B"), ("G", "B")]
    )
    assert placed == {
        "B": ("A", LEFT),
        "C": ("A", RIGHT),
        "D": ("B", LEFT),
        "E": ("C", RIGHT),
        "F": ("D", LEFT),  # B's first enrollment: left edge B-D
        "G": ("B", RIGHT),  # B's second: right, open under B
    }


def test_matrix_fills_level_by_level_left_to_right_under_the_sponsor():
    tree = InMemoryPlacement("matrix", width=3)
    tree.add_root(0)
    placed = [tree.place_new(member, 0) for member in range(1, 14)]
    assert placed[:3] == [(0, 1), (0, 2), (0, 3)]
    assert placed[3:12] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3),
    ]  # fmt: skip
    assert placed[12] == (4, 1)  # two full levels: the 13th spills to level three


def test_matrix_spillover_starts_under_the_sponsor_not_the_root():
    tree = InMemoryPlacement("matrix", width=2)
    tree.add_root("A")
    assert tree.place_new("B", "A") == ("A", 1)
    assert tree.place_new("C", "A") == ("A", 2)
    assert tree.place_new("D", "C") == ("C", 1)
    assert tree.place_new("E", "C") == ("C", 2)
    assert tree.place_new("F", "C") == ("D", 1)  # C's level one is full
    assert tree.place_new("G", "A") == ("B", 1)  # A's first open slot, breadth first
    assert tree.place_new("H", "A") == ("B", 2)
    # Level one (B, C) is full; level two in order is G, H (under B), then D, E (under C).
    assert tree.place_new("I", "A") == ("G", 1)
    assert tree.place_new("J", "C") == ("D", 2)  # C's own spillover is unchanged


def test_forced_placement_refuses_a_taken_slot_and_names_it():
    tree = InMemoryPlacement("binary")
    tree.add_root("A")
    tree.place_at("B", "A", LEFT)
    with pytest.raises(SlotTakenError, match="slot L under 'A' is taken by 'B'"):
        tree.place_at("C", "A", LEFT)
    tree.place_at("C", "A", RIGHT)
    assert tree.child("A", RIGHT) == "C"


def test_forced_placement_refuses_an_unknown_parent():
    tree = InMemoryPlacement("matrix", width=3)
    tree.add_root("A")
    with pytest.raises(UnknownMemberError, match="placement parent 'Z'"):
        tree.place_at("B", "Z", 1)
    with pytest.raises(UnknownMemberError, match="sponsor 'Z'"):
        tree.place_new("B", "Z")


@pytest.mark.parametrize(
    ("kind", "width", "position", "message"),
    [
        ("binary", None, 2, "binary position must be 0 .L. or 1 .R., got 2"),
        ("binary", None, -1, "got -1"),
        ("matrix", 3, 0, r"matrix position must be 1..3, got 0"),
        ("matrix", 3, 4, r"matrix position must be 1..3, got 4"),
        ("matrix", 1, 1, "matrix width must be at least 2"),
        ("none", None, 1, "no positions"),
    ],
)
def test_position_out_of_range(kind, width, position, message):
    with pytest.raises(PositionOutOfRangeError, match=message):
        check_position(kind, position, width)


def test_position_in_range_passes_and_labels():
    check_position("binary", RIGHT)
    check_position("matrix", 3, width=3)
    assert position_label("binary", LEFT) == "L"
    assert position_label("binary", RIGHT) == "R"
    assert position_label("matrix", 2) == "2"


def test_single_rules_refuse_unknown_sponsor_and_bad_width():
    tree = InMemoryPlacement("binary")
    tree.add_root("A")
    with pytest.raises(UnknownMemberError):
        place_binary(tree, "Z", BinaryRule.OUTER_LEFT)
    with pytest.raises(PositionOutOfRangeError):
        place_matrix(tree, "A", 1)
    with pytest.raises(ValueError, match="not a valid BinaryRule"):
        place_binary(tree, "A", "leftmost")


def test_automatic_placement_dispatches_on_the_placement_kind():
    binary = InMemoryPlacement("binary")
    binary.add_root("A")
    assert place_automatically(binary, "A", "binary", "alternate", enrollments_before=1) == (
        "A",
        RIGHT,
    )
    matrix = InMemoryPlacement("matrix", width=4)
    matrix.add_root("A")
    assert place_automatically(matrix, "A", "matrix", width=4) == ("A", 1)
    with pytest.raises(PositionOutOfRangeError, match="needs its width"):
        place_automatically(matrix, "A", "matrix")
    with pytest.raises(PositionOutOfRangeError, match="places nobody"):
        place_automatically(matrix, "A", "none")

"""Placement through the database agrees with the in-memory reference, member by member."""

from __future__ import annotations

import random

import pytest
from sqlalchemy.orm import Session

from fairtree.genealogy.placement import position_label
from fairtree.genealogy.placement_memory import InMemoryPlacement
from tests.db.genealogy.tree_reads import slots
from tests.factories import add_company, add_root, join


@pytest.mark.parametrize(
    ("placement", "rule", "width"),
    [
        ("binary", "outer_left", None),
        ("binary", "outer_right", None),
        ("binary", "weaker_leg", None),
        ("binary", "alternate", None),
        ("matrix", None, 2),
        ("matrix", None, 3),
    ],
)
def test_stored_placement_matches_the_reference(
    session: Session, placement: str, rule: str | None, width: int | None
) -> None:
    add_company(session, placement, rule, width)
    add_root(session)
    reference = InMemoryPlacement(placement, width)
    reference.add_root("ROOT")
    expected: dict[str, tuple[str, str]] = {}
    chooser = random.Random(f"{placement}-{rule}-{width}")
    members = ["ROOT"]
    for number in range(60):
        member_id = f"N{number:02d}"
        # Recent members sponsor more often, so legs grow deep and uneven.
        sponsor = members[int(len(members) * chooser.random() ** 0.5)]
        parent, position = reference.place_new(member_id, sponsor, rule or "weaker_leg")
        expected[member_id] = (str(parent), position_label(placement, position))
        join(session, member_id, sponsor)
        members.append(member_id)
    placed = slots(session)
    assert {member: placed[member] for member in expected} == expected

"""Enrollment: placement by each binary rule, matrix spillover, chosen slots, refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairtree.errors import (
    ConflictError,
    GenealogyError,
    PositionOutOfRangeError,
    SlotTakenError,
    UnknownMemberError,
    ValidationError,
)
from fairtree.store.models import Member
from tests.db.genealogy.tree_reads import history_of, slots, sponsors
from tests.factories import add_company, add_root, join


def _enroll_all(session: Session, ids: list[str], sponsor: str = "ROOT") -> None:
    for member_id in ids:
        join(session, member_id, sponsor)


def test_outer_left_goes_down_the_left_edge(session: Session) -> None:
    add_company(session, "binary", "outer_left")
    add_root(session)
    _enroll_all(session, ["A", "B", "C"])
    join(session, "D", "B")
    assert slots(session) == {
        "ROOT": (None, None),
        "A": ("ROOT", "L"),
        "B": ("A", "L"),
        "C": ("B", "L"),
        "D": ("C", "L"),  # B's outer left leg already holds C
    }
    assert sponsors(session)["D"] == "B"


def test_outer_right_goes_down_the_right_edge(session: Session) -> None:
    add_company(session, "binary", "outer_right")
    add_root(session)
    _enroll_all(session, ["A", "B"])
    assert slots(session)["A"] == ("ROOT", "R")
    assert slots(session)["B"] == ("A", "R")


def test_weaker_leg_fills_the_smaller_leg_ties_left(session: Session) -> None:
    add_company(session, "binary", "weaker_leg")
    add_root(session)
    _enroll_all(session, ["A", "B", "C", "D", "E"])
    placed = slots(session)
    assert placed["A"] == ("ROOT", "L")  # 0 vs 0: tie goes left
    assert placed["B"] == ("ROOT", "R")  # 1 vs 0
    assert placed["C"] == ("A", "L")  # 1 vs 1: left, bottom of the outer left leg
    assert placed["D"] == ("B", "R")  # 2 vs 1: right, bottom of the outer right leg
    assert placed["E"] == ("C", "L")  # 2 vs 2


def test_alternate_switches_sides_by_enrollment_count(session: Session) -> None:
    add_company(session, "binary", "alternate")
    add_root(session)
    _enroll_all(session, ["A", "B", "C", "D"])
    placed = slots(session)
    assert [placed[m] for m in "ABCD"] == [
        ("ROOT", "L"),
        ("ROOT", "R"),
        ("A", "L"),
        ("B", "R"),
    ]


def test_matrix_spills_over_breadth_first_left_to_right(session: Session) -> None:
    add_company(session, "matrix", None, 3)
    add_root(session)
    ids = [f"M{i:02d}" for i in range(1, 14)]
    _enroll_all(session, ids)
    placed = slots(session)
    expected = {
        "M01": ("ROOT", "1"),
        "M02": ("ROOT", "2"),
        "M03": ("ROOT", "3"),
        "M04": ("M01", "1"),
        "M05": ("M01", "2"),
        "M06": ("M01", "3"),
        "M07": ("M02", "1"),
        "M10": ("M03", "1"),
        "M12": ("M03", "3"),
        "M13": ("M04", "1"),
    }
    assert {m: placed[m] for m in expected} == expected
    # A sponsor further down spills into its own placement downline only.
    join(session, "X", "M02")
    assert slots(session)["X"] == ("M07", "1")  # M02's row 1..3 is full (M07, M08, M09)


def test_sponsor_may_choose_a_free_slot_in_its_downline(session: Session) -> None:
    add_company(session, "binary", "outer_left")
    add_root(session)
    join(session, "A", "ROOT")
    placed = join(session, "B", "ROOT", parent="A", position="R")
    assert (placed.placement_parent_id, placed.placement_position) == ("A", "R")
    auto_below = join(session, "C", "ROOT", parent="A")
    assert (auto_below.placement_parent_id, auto_below.placement_position) == ("A", "L")


def test_taken_slot_is_refused_naming_record_field_and_holder(session: Session) -> None:
    add_company(session, "binary", "outer_left")
    add_root(session)
    join(session, "A", "ROOT")
    with pytest.raises(SlotTakenError) as caught:
        join(session, "B", "ROOT", parent="ROOT", position="L")
    message = str(caught.value)
    assert "member 'B'" in message
    assert "[placement_position]" in message
    assert "slot L under 'ROOT' is taken by 'A'" in message
    assert session.scalar(select(func.count()).select_from(Member)) == 2


def test_position_out_of_range_is_refused(session: Session) -> None:
    add_company(session, "matrix", None, 3)
    add_root(session)
    with pytest.raises(PositionOutOfRangeError, match=r"member 'A' \[placement_position\]"):
        join(session, "A", "ROOT", parent="ROOT", position="4")
    with pytest.raises(PositionOutOfRangeError, match=r"\[placement_position\]"):
        join(session, "A", "ROOT", parent="ROOT", position="L")


def test_unknown_sponsor_is_refused(session: Session) -> None:
    add_company(session, "binary", "outer_left")
    add_root(session)
    with pytest.raises(UnknownMemberError, match=r"member 'A' \[sponsor_id\]: no member 'NOPE'"):
        join(session, "A", "NOPE")
    assert session.scalar(select(func.count()).select_from(Member)) == 1


def test_duplicate_member_id_is_refused(session: Session) -> None:
    add_company(session, "binary", "outer_left")
    add_root(session)
    join(session, "A", "ROOT")
    with pytest.raises(ConflictError, match=r"member 'A' \[member_id\]"):
        join(session, "A", "ROOT")


def test_placement_outside_the_sponsors_downline_is_refused(session: Session) -> None:
    add_company(session, "binary", "outer_left")
    add_root(session)
    join(session, "A", "ROOT")  # ROOT/L
    join(session, "B", "ROOT", parent="ROOT", position="R")
    with pytest.raises(GenealogyError, match=r"\[placement_parent_id\].*'B'.*sponsor 'A'"):
        join(session, "C", "A", parent="B", position="L")


def test_join_before_the_sponsor_is_refused(session: Session) -> None:
    add_company(session, "binary", "outer_left")
    add_root(session)
    with pytest.raises(ValidationError, match=r"\[joined_on\]"):
        join(session, "A", "ROOT", date(2025, 12, 31))


def test_company_without_placement_places_nobody(session: Session) -> None:
    add_company(session, "none", None)
    add_root(session)
    result = join(session, "A", "ROOT")
    assert (result.placement_parent_id, result.placement_position) == (None, None)
    with pytest.raises(ValidationError, match="no placement tree"):
        join(session, "B", "ROOT", parent="A", position="L")


def test_enrollment_opens_a_history_row(session: Session) -> None:
    add_company(session, "binary", "outer_left")
    add_root(session)
    join(session, "A", "ROOT", date(2026, 2, 3))
    assert history_of(session, "A") == [("ROOT", date(2026, 2, 3), None, "enroll")]

"""Moves and terminations: permissions, reasons, cycles, roll-ups, history and audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairtree.errors import (
    ConflictError,
    CycleError,
    GenealogyError,
    PermissionDeniedError,
    SlotTakenError,
    ValidationError,
)
from fairtree.services.access.principal import Principal
from fairtree.services.network.downline import downline_as_of
from fairtree.services.network.genealogy import DownlineRule, move, terminate
from fairtree.store.models import AuditRecord, Member
from tests.db.genealogy.tree_reads import audit_trail, history_of, slots, sponsors
from tests.factories import (
    ADMIN,
    JAN_1,
    MEMBER,
    SUPPORT,
    add_company,
    add_root,
    join,
    signed_in_admin,
)

MAR_1 = date(2026, 3, 1)
APR_1 = date(2026, 4, 1)


@pytest.fixture
def network(session: Session) -> Session:
    """ROOT -> A -> A1 -> A11, A -> A2, ROOT -> B; binary, outer-left placement.

    Placement: A=(ROOT,L) A1=(A,L) A11=(A1,L) A2=(A11,L) B=(A2,L).
    """
    add_company(session, "binary", "outer_left")
    add_root(session)
    join(session, "A", "ROOT")
    join(session, "A1", "A")
    join(session, "A11", "A1")
    join(session, "A2", "A")
    join(session, "B", "ROOT")
    return session


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditRecord)) or 0


def test_a_subtree_moves_with_its_member(network: Session) -> None:
    result = move(network, ADMIN, "A1", sponsor_id="B", reason="wrong sponsor", effective_on=MAR_1)
    assert result.before["sponsor_id"] == "A"
    assert result.after["sponsor_id"] == "B"
    assert sponsors(network)["A1"] == "B"
    assert sponsors(network)["A11"] == "A1"
    assert downline_as_of(network, "B") == {"A1": 1, "A11": 2}
    assert downline_as_of(network, "A") == {"A2": 1}
    assert history_of(network, "A1") == [
        ("A", JAN_1, MAR_1, "enroll"),
        ("B", MAR_1, None, "move"),
    ]
    assert history_of(network, "A11") == [("A1", JAN_1, None, "enroll")]
    assert slots(network)["A1"] == ("A", "L")  # placement untouched when not asked for


def test_a_move_is_audited_with_actor_reason_before_and_after(network: Session) -> None:
    admin = signed_in_admin(network)
    move(network, admin, "A1", sponsor_id="B", reason="wrong sponsor", effective_on=MAR_1)
    ((record, details),) = audit_trail(network, "A1")
    assert (record.actor, record.actor_role) == (admin.login, "admin")
    assert (record.action, record.subject_kind, record.subject_id) == (
        "member_moved",
        "member",
        "A1",
    )
    assert record.reason == "wrong sponsor"
    assert details["effective_on"] == "2026-03-01"
    assert details["before"] == {
        "sponsor_id": "A",
        "placement_parent_id": "A",
        "placement_position": "L",
        "status": "active",
    }
    assert details["after"]["sponsor_id"] == "B"
    assert details["after"]["placement_parent_id"] == "A"
    assert history_of(network, "A1")[-1] == ("B", MAR_1, None, "move")


@pytest.mark.parametrize("who", [MEMBER, SUPPORT])
def test_only_an_admin_may_move(network: Session, who: Principal) -> None:
    with pytest.raises(PermissionDeniedError, match=f"'{who.label}' has role '{who.role}'"):
        move(network, who, "A1", sponsor_id="B", reason="please", effective_on=MAR_1)
    assert sponsors(network)["A1"] == "A"
    assert _audit_count(network) == 0


def test_a_move_needs_a_reason(network: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        move(network, ADMIN, "A1", sponsor_id="B", reason="  ", effective_on=MAR_1)
    (problem,) = caught.value.problems
    assert (problem.source, problem.location, problem.field) == ("move", "A1", "reason")
    assert sponsors(network)["A1"] == "A"


@pytest.mark.parametrize("target", ["A", "A1", "A11"])
def test_moving_under_the_own_downline_is_a_cycle(network: Session, target: str) -> None:
    with pytest.raises(CycleError) as caught:
        move(network, ADMIN, "A", sponsor_id=target, reason="loop", effective_on=MAR_1)
    assert "'A'" in str(caught.value) and f"'{target}'" in str(caught.value)
    assert sponsors(network)["A"] == "ROOT"
    assert _audit_count(network) == 0


def test_placement_cycles_are_refused_too(network: Session) -> None:
    with pytest.raises(CycleError, match=r"\[placement_parent_id\].*'A'.*'B'"):
        move(network, ADMIN, "A", placement_parent_id="B", reason="x", effective_on=MAR_1)


def test_only_the_member_moves_when_its_downline_stays(network: Session) -> None:
    result = move(
        network,
        ADMIN,
        "A1",
        sponsor_id="B",
        reason="leaves its team behind",
        effective_on=MAR_1,
        downline=DownlineRule.STAYS,
    )
    assert result.rolled_up == ["A11"]
    assert sponsors(network)["A11"] == "A"  # rolled up to A1's former sponsor
    assert history_of(network, "A11") == [
        ("A1", JAN_1, MAR_1, "enroll"),
        ("A", MAR_1, None, "roll_up"),
    ]
    ((_, details),) = audit_trail(network, "A1")
    assert details["rolled_up"] == ["A11"]


def test_a_move_can_place_the_leg_elsewhere(network: Session) -> None:
    moved = move(
        network,
        ADMIN,
        "B",
        placement_parent_id="ROOT",
        placement_position="R",
        reason="placement error",
        effective_on=MAR_1,
    )
    assert moved.after["placement_parent_id"] == "ROOT"
    assert slots(network)["B"] == ("ROOT", "R")
    with pytest.raises(SlotTakenError, match="slot L under 'ROOT' is taken by 'A'"):
        move(
            network,
            ADMIN,
            "A2",
            placement_parent_id="ROOT",
            placement_position="L",
            reason="x",
            effective_on=MAR_1,
        )


def test_history_is_never_rewritten_by_a_backdated_move(network: Session) -> None:
    move(network, ADMIN, "A1", sponsor_id="B", reason="first", effective_on=MAR_1)
    with pytest.raises(ValidationError, match=r"\[effective_on\]"):
        move(network, ADMIN, "A1", sponsor_id="A", reason="back", effective_on=date(2026, 2, 1))


def test_termination_rolls_recruits_up_and_keeps_the_slot(network: Session) -> None:
    result = terminate(network, ADMIN, "A", reason="policy breach", effective_on=APR_1)
    assert (result.rolled_up_to, result.rolled_up) == ("ROOT", ["A1", "A2"])
    assert sponsors(network)["A1"] == "ROOT"
    assert sponsors(network)["A2"] == "ROOT"
    assert sponsors(network)["A11"] == "A1"
    member = network.scalars(select(Member).where(Member.member_id == "A")).one()
    assert (member.status, member.status_since) == ("terminated", APR_1)
    assert slots(network)["A"] == ("ROOT", "L")  # placeholder keeps its slot
    assert slots(network)["A1"] == ("A", "L")
    assert history_of(network, "A") == [
        ("ROOT", JAN_1, APR_1, "enroll"),
        ("ROOT", APR_1, None, "terminate"),
    ]
    assert history_of(network, "A2") == [
        ("A", JAN_1, APR_1, "enroll"),
        ("ROOT", APR_1, None, "roll_up"),
    ]
    ((record, details),) = audit_trail(network, "A")
    assert (record.action, record.actor, record.reason) == (
        "member_terminated",
        "local-operator",
        "policy breach",
    )
    assert details["before"]["recruits"] == ["A1", "A2"]
    assert (details["before"]["status"], details["after"]["status"]) == ("active", "terminated")
    assert details["after"]["recruits_rolled_up_to"] == "ROOT"


def test_termination_refusals(network: Session) -> None:
    with pytest.raises(PermissionDeniedError):
        terminate(network, MEMBER, "A", reason="x", effective_on=APR_1)
    with pytest.raises(ValidationError, match=r"\[reason\]"):
        terminate(network, ADMIN, "A", reason="", effective_on=APR_1)
    with pytest.raises(GenealogyError, match=r"'ROOT' is at the top"):
        terminate(network, ADMIN, "ROOT", reason="x", effective_on=APR_1)
    terminate(network, ADMIN, "A", reason="x", effective_on=APR_1)
    with pytest.raises(ConflictError, match=r"member 'A' \[status\]: already terminated"):
        terminate(network, ADMIN, "A", reason="again", effective_on=APR_1)
    with pytest.raises(GenealogyError, match=r"\[sponsor_id\]: 'A' is terminated"):
        move(network, ADMIN, "B", sponsor_id="A", reason="x", effective_on=APR_1)
    with pytest.raises(GenealogyError, match=r"sponsor 'A' is terminated"):
        join(network, "N", "A", APR_1)


def test_an_automatic_placement_never_lands_in_the_moved_leg(network: Session) -> None:
    """A's outer left leg runs through A1; A1 is lifted out, so it lands back at (A, L)
    rather than at the bottom of its own leg (under B), which would be a loop."""
    moved = move(
        network, ADMIN, "A1", placement_parent_id="A", reason="re-place", effective_on=MAR_1
    )
    assert (moved.after["placement_parent_id"], moved.after["placement_position"]) == ("A", "L")
    moved = move(network, ADMIN, "A2", placement_parent_id="A1", reason="x", effective_on=MAR_1)
    assert slots(network)["A2"] == ("A11", "L")  # its own slot reads as open: it stays


def test_a_move_that_changes_nothing_is_refused(network: Session) -> None:
    with pytest.raises(ValidationError, match=r"\[sponsor_id\]: is already 'A'"):
        move(network, ADMIN, "A1", sponsor_id="A", reason="same", effective_on=MAR_1)

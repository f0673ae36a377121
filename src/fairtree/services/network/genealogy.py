"""Genealogy operations: enroll, move, terminate. Services take a session, never commit.

Moves and terminations are administrative: they need an admin actor and a reason, they
lock the network (one structural change at a time), they record every member whose
position changed in the dated history, and they write one audit record with the
position before and after. Rules in docs/genealogy.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from fairtree.errors import (
    ConflictError,
    CycleError,
    GenealogyError,
    Problem,
    ValidationError,
)
from fairtree.genealogy.placement import PlacementKind
from fairtree.services.access.actors import actor_label, require_admin
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.services.network.enrollment import GOOD_STANDING, Enrollment, NewMember, enroll
from fairtree.services.network.placing import choose_slot, write_with_retry
from fairtree.services.orders.rank_progress import refresh_after_tree_change
from fairtree.store.models import Member
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.network import genealogy as tree_repo
from fairtree.store.repositories.network import genealogy_history
from fairtree.store.repositories.network import members as members_repo

__all__ = [
    "DownlineRule",
    "Enrollment",
    "MoveResult",
    "NewMember",
    "TerminationResult",
    "enroll",
    "move",
    "terminate",
]


class DownlineRule(StrEnum):
    """What happens to the moved member's own recruits."""

    FOLLOWS = "follows"  # the whole sponsor subtree moves with the member
    STAYS = "stays"  # only the member moves; its recruits roll up to its former sponsor


@dataclass(frozen=True)
class MoveResult:
    member_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    rolled_up: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TerminationResult:
    member_id: str
    rolled_up_to: str | None
    rolled_up: list[str]


def _require_reason(action: str, member_id: str, reason: str) -> str:
    if not reason or not reason.strip():
        raise ValidationError([Problem(action, member_id, "reason", "a reason is required")])
    return reason.strip()


def _position(session: Session, member: Member) -> dict[str, Any]:
    names = members_repo.external_ids(session, [member.sponsor_id, member.placement_parent_id])
    return {
        "sponsor_id": names.get(member.sponsor_id or -1),
        "placement_parent_id": names.get(member.placement_parent_id or -1),
        "placement_position": member.placement_position,
        "status": member.status,
    }


def _check_effective_date(
    session: Session, record: str, member_pks: list[int], effective_on: date
) -> None:
    latest = genealogy_history.latest_change(session, member_pks)
    if latest is not None and effective_on < latest:
        raise ValidationError(
            [
                Problem(
                    record,
                    "",
                    "effective_on",
                    f"{effective_on} is before the latest recorded change ({latest}); "
                    "history is never rewritten",
                )
            ]
        )


def _require_in_good_standing(member: Member, record: str, field_name: str) -> None:
    if member.status not in GOOD_STANDING:
        raise GenealogyError(f"{record} [{field_name}]: {member.member_id!r} is {member.status}")


def move(
    session: Session,
    actor: Principal | None,
    member_id: str,
    *,
    reason: str,
    effective_on: date,
    sponsor_id: str | None = None,
    placement_parent_id: str | None = None,
    placement_position: str | None = None,
    downline: DownlineRule = DownlineRule.FOLLOWS,
) -> MoveResult:
    """Give ``member_id`` a new sponsor and/or placement parent from ``effective_on``.

    The member's placement subtree always moves with it (a slot holds a whole leg).
    Refused with CycleError when the new sponsor or placement parent is the member or
    below it in the tree that moves along.
    """
    require_admin(actor, f"move member {member_id!r}")
    reason = _require_reason("move", member_id, reason)
    record = f"member {member_id!r}"
    if sponsor_id is None and placement_parent_id is None:
        raise ValidationError(
            [Problem("move", member_id, "sponsor_id", "give a new sponsor or placement parent")]
        )
    company = company_repo.the_company(session)
    company_repo.lock_company(session, company.id)
    tree_repo.lock_member(session, member_id)  # enrollments under it wait for the move
    member = tree_repo.require_member(session, member_id, record, "member_id")
    _require_in_good_standing(member, record, "member_id")
    before = _position(session, member)
    recruits = tree_repo.recruits(session, member.id) if downline is DownlineRule.STAYS else []
    _check_effective_date(session, record, [member.id, *recruits], effective_on)

    new_sponsor = member.sponsor_id
    if sponsor_id is not None:
        target = tree_repo.require_member(session, sponsor_id, record, "sponsor_id")
        _require_in_good_standing(target, record, "sponsor_id")
        if target.id == member.id or (
            downline is DownlineRule.FOLLOWS
            and member.id in tree_repo.sponsor_chain(session, target.id)
        ):
            raise CycleError(
                f"{record} [sponsor_id]: cannot move {member_id!r} under {sponsor_id!r}, "
                f"who is {member_id!r} or in {member_id!r}'s downline"
            )
        if effective_on < target.joined_on:
            raise ValidationError(
                [Problem(record, "", "effective_on", f"is before {sponsor_id!r} joined")]
            )
        new_sponsor = target.id

    if new_sponsor == member.sponsor_id and placement_parent_id is None and not recruits:
        raise ValidationError(
            [Problem(record, "", "sponsor_id", f"is already {sponsor_id!r}; nothing to move")]
        )

    placement_start: int | None = None
    if placement_parent_id is not None:
        if PlacementKind(company.placement) is PlacementKind.NONE:
            raise ValidationError(
                [Problem(record, "", "placement_parent_id", "the company has no placement tree")]
            )
        parent = tree_repo.require_member(
            session, placement_parent_id, record, "placement_parent_id"
        )
        if member.id in tree_repo.placement_chain(session, parent.id):
            raise CycleError(
                f"{record} [placement_parent_id]: cannot place {member_id!r} under "
                f"{placement_parent_id!r}, who is {member_id!r} or in its placement downline"
            )
        placement_start = parent.id

    rolled_up: list[str] = []
    if recruits:
        if member.sponsor_id is None:
            raise GenealogyError(
                f"{record} [sponsor_id]: {member_id!r} has no sponsor for its recruits "
                "to roll up to"
            )
        tree_repo.reassign_sponsor(session, recruits, member.sponsor_id)
        genealogy_history.record_changes(
            session, recruits, effective_on, genealogy_history.ROLL_UP, actor_label(actor)
        )
        rolled_up = sorted(members_repo.external_ids(session, recruits).values())

    def attempt() -> None:
        member.sponsor_id = new_sponsor
        if placement_start is not None:
            parent_pk, position = choose_slot(
                session, company, placement_start, placement_position, record, moving=member.id
            )
            if member.id in tree_repo.placement_chain(session, parent_pk):  # invariant
                raise CycleError(f"{record} [placement_parent_id]: the slot chosen is in its leg")
            member.placement_parent_id = parent_pk
            member.placement_position = position
        session.flush()

    write_with_retry(session, attempt, chosen_by_hand=placement_position is not None, record=record)
    genealogy_history.record_changes(
        session, [member.id], effective_on, genealogy_history.MOVE, actor_label(actor)
    )
    after = _position(session, member)
    refresh_after_tree_change(session, effective_on)
    recorded_after: dict[str, Any] = {**after, "effective_on": effective_on.isoformat()}
    if rolled_up:
        recorded_after["rolled_up"] = rolled_up
    record_action(
        session,
        actor,
        action="member_moved",
        subject_kind="member",
        subject_id=member_id,
        reason=reason,
        before=before,
        after=recorded_after,
    )
    return MoveResult(member_id, before, after, rolled_up)


def terminate(
    session: Session, actor: Principal | None, member_id: str, *, reason: str, effective_on: date
) -> TerminationResult:
    """End ``member_id``'s membership from ``effective_on``; its recruits roll up.

    Sponsor tree: every member the terminated member sponsored is sponsored from then
    on by the terminated member's own sponsor. Placement tree: the terminated member
    keeps its slot as a placeholder, so nobody's legs change shape.
    """
    require_admin(actor, f"terminate member {member_id!r}")
    reason = _require_reason("terminate", member_id, reason)
    record = f"member {member_id!r}"
    company_repo.lock_company(session, company_repo.the_company(session).id)
    tree_repo.lock_member(session, member_id)  # no recruit can join while we roll them up
    member = tree_repo.require_member(session, member_id, record, "member_id")
    if member.status in ("terminated", "closed"):
        raise ConflictError(f"{record} [status]: already {member.status}")
    recruits = tree_repo.recruits(session, member.id)
    if recruits and member.sponsor_id is None:
        raise GenealogyError(
            f"{record} [sponsor_id]: {member_id!r} is at the top of the tree; "
            "its recruits have no sponsor to roll up to"
        )
    _check_effective_date(session, record, [member.id, *recruits], effective_on)
    if effective_on < member.status_since:
        raise ValidationError(
            [Problem(record, "", "effective_on", f"is before status_since {member.status_since}")]
        )
    before = _position(session, member)
    rolled_up = sorted(members_repo.external_ids(session, recruits).values())
    if recruits:
        tree_repo.reassign_sponsor(session, recruits, member.sponsor_id)
        genealogy_history.record_changes(
            session, recruits, effective_on, genealogy_history.ROLL_UP, actor_label(actor)
        )
    member.status = "terminated"
    member.status_since = effective_on
    session.flush()
    genealogy_history.record_changes(
        session, [member.id], effective_on, genealogy_history.TERMINATE, actor_label(actor)
    )
    after = _position(session, member)
    refresh_after_tree_change(session, effective_on)
    record_action(
        session,
        actor,
        action="member_terminated",
        subject_kind="member",
        subject_id=member_id,
        reason=reason,
        before={**before, "recruits": rolled_up},
        after={
            **after,
            "recruits_rolled_up_to": after["sponsor_id"],
            "effective_on": effective_on.isoformat(),
        },
    )
    return TerminationResult(member_id, after["sponsor_id"], rolled_up)

"""Enrolling a new member under a sponsor, with a slot in the placement tree.

Rules (docs/genealogy.md): the sponsor must exist and be in good standing (not
terminated or closed); the new member id must be unused; the join date cannot precede
the sponsor's. In a company with a placement tree the new member gets a slot: the one
the sponsor chose, if it is free and inside the sponsor's own placement downline, or
else the company's automatic rule (binary) or the first open slot breadth first under
the sponsor (forced matrix spillover). The service never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, GenealogyError, Problem, ValidationError
from fairtree.genealogy.placement import PlacementKind
from fairtree.services.access.actors import actor_label
from fairtree.services.access.principal import Principal
from fairtree.services.network.placing import choose_slot, write_with_retry
from fairtree.store.models import Company, Member
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.network import genealogy as tree_repo
from fairtree.store.repositories.network import genealogy_history
from fairtree.store.repositories.network import members as members_repo

GOOD_STANDING = ("active", "inactive")


@dataclass(frozen=True)
class NewMember:
    """What the new member tells us; country and currency default to the company's."""

    member_id: str
    display_name: str
    joined_on: date
    country: str | None = None
    currency: str | None = None


@dataclass(frozen=True)
class Enrollment:
    """Where the new member landed (external ids; position ``L``/``R`` or ``1..W``)."""

    member_id: str
    sponsor_id: str
    placement_parent_id: str | None
    placement_position: str | None


def _check_new_member(new: NewMember, record: str) -> None:
    problems = []
    member_id = new.member_id
    if not member_id.strip() or len(member_id) > 64 or member_id != member_id.strip():
        problems.append(Problem(record, "", "member_id", "must be 1-64 chars, no outer spaces"))
    if not new.display_name.strip():
        problems.append(Problem(record, "", "display_name", "must not be empty"))
    if new.country is not None and len(new.country) != 2:
        problems.append(Problem(record, "", "country", "must be a two-letter country code"))
    if new.currency is not None and len(new.currency) != 3:
        problems.append(Problem(record, "", "currency", "must be a three-letter currency code"))
    if problems:
        raise ValidationError(problems)


def enroll(
    session: Session,
    actor: Principal | None,
    new: NewMember,
    sponsor_id: str,
    *,
    placement_parent_id: str | None = None,
    placement_position: str | None = None,
) -> Enrollment:
    """Add ``new`` under ``sponsor_id`` and place it; raises before writing anything wrong."""
    record = f"member {new.member_id!r}"
    _check_new_member(new, record)
    tree_repo.lock_member(session, sponsor_id)
    company = company_repo.the_company(session)
    sponsor = tree_repo.require_member(session, sponsor_id, record, "sponsor_id")
    if sponsor.status not in GOOD_STANDING:
        raise GenealogyError(
            f"{record} [sponsor_id]: sponsor {sponsor_id!r} is {sponsor.status} and cannot enroll"
        )
    if members_repo.member_by_external_id(session, new.member_id) is not None:
        raise ConflictError(f"{record} [member_id]: a member with this id exists")
    if new.joined_on < sponsor.joined_on:
        raise ValidationError(
            [Problem(record, "", "joined_on", f"is before sponsor {sponsor_id!r} joined")]
        )
    start_pk = _placement_start(session, company, sponsor, placement_parent_id, record)
    if start_pk is None and placement_position is not None:
        raise ValidationError(
            [Problem(record, "", "placement_position", "the company has no placement tree")]
        )

    def attempt() -> Member:
        parent_pk, position = (
            choose_slot(session, company, start_pk, placement_position, record)
            if start_pk is not None
            else (None, None)
        )
        member = Member(
            member_id=new.member_id,
            sponsor_id=sponsor.id,
            placement_parent_id=parent_pk,
            placement_position=position,
            joined_on=new.joined_on,
            status="active",
            status_since=new.joined_on,
            country=new.country or company.country,
            currency=new.currency or company.currency,
            display_name=new.display_name.strip(),
            identity_verified=False,
        )
        return tree_repo.add_member(session, member)

    try:
        member = write_with_retry(
            session, attempt, chosen_by_hand=placement_position is not None, record=record
        )
    except IntegrityError as error:
        if tree_repo.is_member_id_conflict(error):
            raise ConflictError(f"{record} [member_id]: a member with this id exists") from None
        raise
    genealogy_history.record_changes(
        session, [member.id], new.joined_on, genealogy_history.ENROLL, actor_label(actor)
    )
    parent_ids = members_repo.external_ids(session, [member.placement_parent_id])
    return Enrollment(
        member_id=member.member_id,
        sponsor_id=sponsor_id,
        placement_parent_id=parent_ids.get(member.placement_parent_id or -1),
        placement_position=member.placement_position,
    )


def _placement_start(
    session: Session,
    company: Company,
    sponsor: Member,
    placement_parent_id: str | None,
    record: str,
) -> int | None:
    """Where placement starts: the sponsor, or a parent they chose in their own placement
    downline; None when the company keeps no placement tree."""
    if PlacementKind(company.placement) is PlacementKind.NONE:
        if placement_parent_id is not None:
            raise ValidationError(
                [Problem(record, "", "placement_parent_id", "the company has no placement tree")]
            )
        return None
    if placement_parent_id is None:
        return sponsor.id
    parent = tree_repo.require_member(session, placement_parent_id, record, "placement_parent_id")
    if sponsor.id not in tree_repo.placement_chain(session, parent.id):
        raise GenealogyError(
            f"{record} [placement_parent_id]: {placement_parent_id!r} is not in the placement "
            f"downline of sponsor {sponsor.member_id!r}"
        )
    return parent.id

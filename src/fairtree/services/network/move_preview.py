"""What a move or a termination would change, shown before it is applied.

A move takes the member's group volume (its whole subtree's, when its downline follows;
its own personal volume when its recruits stay behind) out of every upline of the old
sponsor and into every upline of the new one; members above both keep theirs. The
volume is this period's, by the same rule the team view uses (services.network.team).
Nothing is written; the preview reads the tree as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import CycleError, GenealogyError, Problem, ValidationError
from fairtree.periods import Period
from fairtree.services.access.principal import Principal
from fairtree.services.network import team
from fairtree.services.network.genealogy import DownlineRule
from fairtree.store.repositories.network import genealogy as tree_repo
from fairtree.store.repositories.network import members as members_repo
from fairtree.store.repositories.network.sponsor_tree import members_by_pks

SHOWN = 50  # uplines listed on each side; the count says how many there are


@dataclass(frozen=True)
class VolumeChange:
    member_id: str
    display_name: str
    change: int  # hundredths of a point, this period


@dataclass(frozen=True)
class MovePreview:
    member_id: str
    display_name: str
    period_key: str
    old_sponsor: str | None
    new_sponsor: str
    downline: str
    moved_volume: int
    recruits_staying: int
    losing: list[VolumeChange]
    gaining: list[VolumeChange]
    losing_count: int
    gaining_count: int


@dataclass(frozen=True)
class TerminationPreview:
    member_id: str
    display_name: str
    sponsor: str | None
    recruits: list[str]


def _changes(session: Session, pks: list[int], change: int) -> list[VolumeChange]:
    members = members_by_pks(session, pks[:SHOWN])
    return [
        VolumeChange(members[pk].member_id, members[pk].display_name, change) for pk in pks[:SHOWN]
    ]


def preview_move(
    session: Session,
    reader: Principal,
    member_id: str,
    new_sponsor_id: str,
    downline: DownlineRule,
    today: date,
) -> MovePreview:
    record = f"member {member_id!r}"
    member = tree_repo.require_member(session, member_id, record, "member_id")
    target = tree_repo.require_member(session, new_sponsor_id, record, "sponsor_id")
    if member.status not in ("active", "inactive"):
        raise GenealogyError(f"{record} [member_id]: {member_id!r} is {member.status}")
    if target.status not in ("active", "inactive"):
        raise GenealogyError(f"{record} [sponsor_id]: {new_sponsor_id!r} is {target.status}")
    new_chain = tree_repo.sponsor_chain(session, target.id)
    if target.id == member.id or (downline is DownlineRule.FOLLOWS and member.id in new_chain):
        raise CycleError(
            f"{record} [sponsor_id]: cannot move {member_id!r} under {new_sponsor_id!r}, "
            f"who is {member_id!r} or in {member_id!r}'s downline"
        )
    if target.id == member.sponsor_id and downline is DownlineRule.FOLLOWS:
        raise ValidationError(
            [Problem(record, "", "sponsor_id", f"is already {new_sponsor_id!r}; nothing to move")]
        )
    period = Period.containing(today)
    own = team.team_view(session, reader, member, period, 0, 1, 0).rows[0]
    moved = own.gv if downline is DownlineRule.FOLLOWS else own.pv
    old_chain = tree_repo.sponsor_chain(session, member.sponsor_id) if member.sponsor_id else []
    common = set(old_chain) & set(new_chain)
    losing = [pk for pk in old_chain if pk not in common]
    gaining = [pk for pk in new_chain if pk not in common]
    names = members_repo.external_ids(session, [member.sponsor_id])
    return MovePreview(
        member_id=member.member_id,
        display_name=member.display_name,
        period_key=period.key,
        old_sponsor=names.get(member.sponsor_id) if member.sponsor_id else None,
        new_sponsor=target.member_id,
        downline=downline.value,
        moved_volume=moved,
        recruits_staying=len(tree_repo.recruits(session, member.id))
        if downline is DownlineRule.STAYS
        else 0,
        losing=_changes(session, losing, -moved),
        gaining=_changes(session, gaining, moved),
        losing_count=len(losing),
        gaining_count=len(gaining),
    )


def preview_termination(session: Session, member_id: str) -> TerminationPreview:
    record = f"member {member_id!r}"
    member = tree_repo.require_member(session, member_id, record, "member_id")
    if member.status in ("terminated", "closed"):
        raise GenealogyError(f"{record} [status]: already {member.status}")
    sponsor = members_repo.external_ids(session, [member.sponsor_id]).get(member.sponsor_id or -1)
    recruits = sorted(
        members_repo.external_ids(session, tree_repo.recruits(session, member.id)).values()
    )
    return TerminationPreview(member.member_id, member.display_name, sponsor, recruits)

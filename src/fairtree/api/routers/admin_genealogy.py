"""Admin genealogy operations: move a member (or its subtree) and terminate a member.

Only owners and admins; a reason is required and each change is audited with its
before and after (services.genealogy). A move that would loop the tree is refused.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from fairtree.api.deps import AdminStaff, DbSession
from fairtree.api.params import ONE_LINE, InputDate, MemberId
from fairtree.services.network import genealogy

router = APIRouter(prefix="/admin/members/{member_id}", tags=["admin"])

_ID = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")


class MoveIn(BaseModel):
    sponsor_id: str | None = _ID
    placement_parent_id: str | None = _ID
    placement_position: str | None = Field(default=None, min_length=1, max_length=3)
    downline: Literal["follows", "stays"] = "follows"
    effective_on: InputDate
    reason: str = Field(min_length=1, max_length=500, pattern=ONE_LINE)


class MoveOut(BaseModel):
    member_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    rolled_up: list[str]


class TerminateIn(BaseModel):
    effective_on: InputDate
    reason: str = Field(min_length=1, max_length=500, pattern=ONE_LINE)


class TerminationOut(BaseModel):
    member_id: str
    rolled_up_to: str | None
    rolled_up: list[str]


@router.post("/move", response_model=MoveOut)
def move_member(
    member_id: MemberId, body: MoveIn, staff: AdminStaff, session: DbSession
) -> MoveOut:
    """Give a member a new sponsor and/or placement from a date; its subtree follows
    unless ``downline`` is ``stays`` (then its recruits roll up to the old sponsor)."""
    result = genealogy.move(
        session,
        staff,
        member_id,
        reason=body.reason,
        effective_on=body.effective_on,
        sponsor_id=body.sponsor_id,
        placement_parent_id=body.placement_parent_id,
        placement_position=body.placement_position,
        downline=genealogy.DownlineRule(body.downline),
    )
    return MoveOut(**result.__dict__)


@router.post("/terminate", response_model=TerminationOut)
def terminate_member(
    member_id: MemberId, body: TerminateIn, staff: AdminStaff, session: DbSession
) -> TerminationOut:
    """End a membership from a date; the member's recruits roll up to its sponsor."""
    result = genealogy.terminate(
        session, staff, member_id, reason=body.reason, effective_on=body.effective_on
    )
    return TerminationOut(**result.__dict__)

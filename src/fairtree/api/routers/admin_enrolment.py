"""Enrolment through the API: staff add a member under a sponsor; the company's placement
rule picks the slot unless one is given. Idempotent with an Idempotency-Key."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from fairtree.api.deps import AdminStaff, DbSession
from fairtree.api.idempotent import created
from fairtree.api.params import ONE_LINE, IdempotencyKey
from fairtree.services.network.enrollment import NewMember
from fairtree.services.network.staff_enrolment import enroll_member

router = APIRouter(prefix="/admin", tags=["admin"])

_ID = r"^[A-Za-z0-9._-]+$"


class EnrolmentIn(BaseModel):
    member_id: str = Field(min_length=1, max_length=64, pattern=_ID)
    sponsor_id: str = Field(min_length=1, max_length=64, pattern=_ID)
    display_name: str = Field(default="", max_length=200, pattern=ONE_LINE)
    joined_on: date
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    placement_parent_id: str | None = Field(default=None, min_length=1, max_length=64, pattern=_ID)
    placement_position: str | None = Field(default=None, min_length=1, max_length=3)
    reason: str = Field(min_length=1, max_length=500, pattern=ONE_LINE)


class EnrolmentOut(BaseModel):
    member_id: str
    sponsor_id: str
    placement_parent_id: str | None
    placement_position: str | None


@router.post("/members", response_model=EnrolmentOut, status_code=201)
def enrol_member(
    request: Request,
    body: EnrolmentIn,
    staff: AdminStaff,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Enrol a member (owners and admins); audited with the reason given."""

    def create() -> EnrolmentOut:
        new = NewMember(
            member_id=body.member_id,
            display_name=body.display_name.strip() or body.member_id,
            joined_on=body.joined_on,
            country=body.country.upper() if body.country else None,
            currency=body.currency.upper() if body.currency else None,
        )
        done = enroll_member(
            session,
            staff,
            new,
            body.sponsor_id,
            body.reason,
            placement_parent_id=body.placement_parent_id,
            placement_position=body.placement_position,
        )
        return EnrolmentOut(**done.__dict__)

    return created(request, session, staff, idempotency_key, body, create)

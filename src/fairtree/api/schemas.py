"""Response and request bodies shared by the member and admin routers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictInt

from fairtree.api.params import NO_NUL, ONE_LINE, InputDate
from fairtree.services.access.authorization import GRANTABLE

if TYPE_CHECKING:
    GrantableKind = str
else:
    # Built from the policy's set so the API schema lists exactly the grantable kinds.
    GrantableKind = Literal[tuple(sorted(k.value for k in GRANTABLE))]


class ProfileOut(BaseModel):
    member_id: str
    display_name: str
    status: str
    status_since: date
    joined_on: date
    country: str
    currency: str
    identity_verified: bool
    sponsor_id: str | None
    email: str | None


class OrderOut(BaseModel):
    order_id: str
    kind: str
    placed_on: date
    currency: str
    amount: str = Field(description="decimal string in the order's currency")
    pv: str = Field(description="points, two decimals")
    bv: str
    lines: int
    returns_order_id: str | None


class CustomerOut(BaseModel):
    customer_id: str
    name: str
    country: str
    created_on: date


class TeamMemberOut(BaseModel):
    member_id: str
    display_name: str
    depth: int
    rank: str | None = Field(
        description="paid-as rank in the period's run; null before a close or below every rank"
    )
    pv: str
    gv: str


class TeamOut(BaseModel):
    member_id: str
    period: str
    total: int
    members: list[TeamMemberOut]


class AccessLogOut(BaseModel):
    reader: str
    data_kind: str
    record: str
    reason: str | None
    read_at: datetime


class GrantIn(BaseModel):
    grantee_login: Annotated[str, Field(min_length=1, max_length=254, pattern=ONE_LINE)]
    kinds: Annotated[list[GrantableKind], Field(min_length=1, max_length=10)]
    days: Annotated[StrictInt, Field(ge=1, le=365)]


class GrantOut(BaseModel):
    id: int
    grantee_login: str
    kinds: list[str]
    read_only: bool
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    active: bool


class MemberSummaryOut(BaseModel):
    member_id: str
    display_name: str
    status: str
    joined_on: date
    sponsor_id: str | None


class AdminMemberOut(MemberSummaryOut):
    private: ProfileOut | None = Field(
        description="private fields; only with a stated X-Access-Reason (logged)"
    )


class PeriodOut(BaseModel):
    key: str
    kind: str
    starts_on: date
    ends_on: date
    status: str


class PlanVersionIn(BaseModel):
    version: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
    effective_from: InputDate
    yaml_text: Annotated[str, Field(min_length=1, max_length=200_000, pattern=NO_NUL)]
    reason: Annotated[
        str,
        Field(min_length=1, max_length=500, pattern=ONE_LINE, description="kept in the audit log"),
    ]


class PlanVersionOut(BaseModel):
    version: str
    effective_from: date
    sha256: str


class PlanVersionTextOut(PlanVersionOut):
    yaml_text: str


class AuditOut(BaseModel):
    id: int
    recorded_at: datetime
    effective_on: date
    actor: str
    actor_role: str
    action: str
    subject_kind: str
    subject_id: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]

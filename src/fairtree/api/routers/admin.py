"""Company administration: member search and read, periods, plan versions, audit log.

Staff read member private fields only with a stated reason (X-Access-Reason); that read
is access-logged and audited through the policy like any other.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from fairtree.api.deps import AdminStaff, AnyStaff, DbSession, Reason
from fairtree.api.params import ONE_LINE, IdempotencyKey, Limit, MemberId, Offset, RecordId
from fairtree.api.schemas import (
    AdminMemberOut,
    AuditOut,
    MemberSummaryOut,
    PeriodOut,
    PlanVersionIn,
    PlanVersionOut,
    PlanVersionTextOut,
    ProfileOut,
)
from fairtree.services.access import audit
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.access.idempotency import fingerprint, run_once
from fairtree.services.clock import aware
from fairtree.services.commissions import periods, plan_versions
from fairtree.services.member_data import member_records
from fairtree.services.network import members
from fairtree.store.models.members import MEMBER_STATUSES

router = APIRouter(prefix="/admin", tags=["admin"])

SearchText = Annotated[str | None, Query(max_length=100, pattern=ONE_LINE)]
Status = Annotated[str | None, Query(pattern="^(" + "|".join(MEMBER_STATUSES) + ")$")]


@router.get("/members", response_model=list[MemberSummaryOut])
def search_members(
    staff: AnyStaff,
    session: DbSession,
    q: SearchText = None,
    status: Status = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[MemberSummaryOut]:
    """Members whose id or display name contains ``q``: public fields only. Each member
    listed is recorded in their access log."""
    found = members.search_members(session, staff, q, status, limit, offset)
    return [
        MemberSummaryOut(
            member_id=m.member_id,
            display_name=m.display_name,
            status=m.status,
            joined_on=m.joined_on,
            sponsor_id=m.sponsor_member_id,
        )
        for m in found
    ]


@router.get("/members/{member_id}", response_model=AdminMemberOut)
def read_member(
    member_id: MemberId, staff: AnyStaff, session: DbSession, reason: Reason
) -> AdminMemberOut:
    """Public fields always; private fields too when a reason is stated (logged)."""
    owner = owner_member(session, member_id)
    authorize(session, staff, owner, DataKind.DIRECTORY, record="summary", reason=reason)
    private = None
    if reason:
        authorize(session, staff, owner, DataKind.PROFILE, record="profile", reason=reason)
        private = ProfileOut(**member_records.profile(session, owner).__dict__)
    sponsor = member_records.sponsor_id(session, owner)
    return AdminMemberOut(
        member_id=owner.member_id,
        display_name=owner.display_name,
        status=owner.status,
        joined_on=owner.joined_on,
        sponsor_id=sponsor,
        private=private,
    )


@router.get("/periods", response_model=list[PeriodOut])
def list_periods(
    staff: AnyStaff, session: DbSession, limit: Limit = 100, offset: Offset = 0
) -> list[PeriodOut]:
    return [
        PeriodOut(key=p.key, kind=p.kind, starts_on=p.starts_on, ends_on=p.ends_on, status=p.status)
        for p in periods.list_periods(session, limit, offset)
    ]


@router.get("/plan-versions", response_model=list[PlanVersionOut])
def list_plan_versions(staff: AnyStaff, session: DbSession) -> list[PlanVersionOut]:
    return [
        PlanVersionOut(version=v.version, effective_from=v.effective_from, sha256=v.sha256)
        for v in plan_versions.list_versions(session)
    ]


@router.get("/plan-versions/{version}", response_model=PlanVersionTextOut)
def read_plan_version(version: RecordId, staff: AnyStaff, session: DbSession) -> PlanVersionTextOut:
    row = plan_versions.version_named(session, version)
    return PlanVersionTextOut(
        version=row.version,
        effective_from=row.effective_from,
        sha256=row.sha256,
        yaml_text=row.yaml_text,
    )


@router.post("/plan-versions", response_model=PlanVersionOut, status_code=201)
def upload_plan_version(
    request: Request,
    body: PlanVersionIn,
    staff: AdminStaff,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Upload a plan version as YAML text; it is validated before it is stored."""

    def create() -> tuple[int, object]:
        row = plan_versions.upload(
            session, staff, body.version, body.effective_from, body.yaml_text, body.reason
        )
        out = PlanVersionOut(
            version=row.version, effective_from=row.effective_from, sha256=row.sha256
        )
        return 201, out.model_dump(mode="json")

    request_hash = fingerprint("POST", request.url.path, body.model_dump(mode="json"))
    (status, payload), replayed = run_once(session, staff, idempotency_key, request_hash, create)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(payload, status_code=status, headers=headers)


@router.get("/audit", response_model=list[AuditOut])
def read_audit_log(
    staff: AdminStaff,
    session: DbSession,
    subject: Annotated[str | None, Query(max_length=64, pattern=ONE_LINE)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[AuditOut]:
    """The append-only audit log, newest first (company owner and admins)."""
    return [
        AuditOut(
            id=r.id,
            recorded_at=aware(r.recorded_at),
            effective_on=r.effective_on,
            actor=r.actor,
            actor_role=r.actor_role,
            action=r.action,
            subject_kind=r.subject_kind,
            subject_id=r.subject_id,
            reason=r.reason,
            before=r.before,
            after=r.after,
        )
        for r in audit.list_records(session, limit, offset, subject)
    ]

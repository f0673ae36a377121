"""What a member controls about their data: whom they share it with (grants) and
who read it (the access log)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from fairtree.api.deps import DbSession, Reason, SignedIn
from fairtree.api.params import IdempotencyKey, Limit, MemberId, Offset, RowId
from fairtree.api.schemas import AccessLogOut, GrantIn, GrantOut
from fairtree.services.access import grants
from fairtree.services.access.access_log import reads_of
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.access.idempotency import fingerprint, run_once
from fairtree.services.clock import aware

router = APIRouter(prefix="/members/{member_id}", tags=["sharing"])


@router.get("/access-log", response_model=list[AccessLogOut])
def read_access_log(
    member_id: MemberId,
    principal: SignedIn,
    session: DbSession,
    reason: Reason,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[AccessLogOut]:
    """Who read this member's data, what, when and why; newest first."""
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.ACCESS_LOG, record="list", reason=reason)
    return [
        AccessLogOut(
            reader=login,
            data_kind=entry.data_kind,
            record=entry.record,
            reason=entry.reason,
            read_at=aware(entry.read_at),
        )
        for entry, login in reads_of(session, owner.id, limit, offset)
    ]


@router.get("/grants", response_model=list[GrantOut])
def list_grants(
    member_id: MemberId, principal: SignedIn, session: DbSession, reason: Reason
) -> list[GrantOut]:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.GRANTS, record="list", reason=reason)
    return [GrantOut(**g.__dict__) for g in grants.grants_of(session, owner)]


@router.post("/grants", response_model=GrantOut, status_code=201)
def create_grant(
    request: Request,
    member_id: MemberId,
    body: GrantIn,
    principal: SignedIn,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Let a named sign-in read the listed kinds of your data for ``days`` days."""
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.GRANTS, record="new", write=True)

    def create() -> tuple[int, object]:
        made = grants.create_grant(session, owner, body.grantee_login, body.kinds, body.days)
        return 201, GrantOut(**made.__dict__).model_dump(mode="json")

    request_hash = fingerprint("POST", request.url.path, body.model_dump(mode="json"))
    (status, payload), replayed = run_once(
        session, principal, idempotency_key, request_hash, create
    )
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(payload, status_code=status, headers=headers)


@router.delete("/grants/{grant_id}", status_code=204, response_class=Response)
def revoke_grant(
    member_id: MemberId, grant_id: RowId, principal: SignedIn, session: DbSession
) -> Response:
    """Revoke a grant; it stops working on the grantee's next request."""
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.GRANTS, record=f"grant:{grant_id}", write=True)
    grants.revoke_grant(session, owner, grant_id)
    return Response(status_code=204)

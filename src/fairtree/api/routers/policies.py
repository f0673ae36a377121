"""The company's policies: the version in force with obligations and suggestions apart,
acknowledgements by members, and publishing new versions (admin, audited)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse

from fairtree.api.deps import AdminStaff, AnyStaff, DbSession, MemberSignIn, SignedIn
from fairtree.api.schemas_member_data import PolicyIn, PolicyOut, PolicyVersionOut
from fairtree.services.access.authorization import owner_member
from fairtree.services.clock import aware, utcnow
from fairtree.services.member_data import policies

router = APIRouter(tags=["policies"])
VersionPath = Path(pattern=r"^[A-Za-z0-9._-]{1,64}$")


@router.get("/policies/current", response_model=PolicyOut)
def current_policy(principal: SignedIn, session: DbSession) -> PolicyOut:
    """The version in force today; for a member also when they acknowledged it."""
    member = owner_member(session, principal.member_id) if principal.member_id else None
    view = policies.in_force(session, utcnow().date(), member)
    return PolicyOut.model_validate(view, from_attributes=True)


@router.post("/policies/{version}/acknowledgement", response_model=PolicyOut)
def acknowledge(
    principal: MemberSignIn, session: DbSession, version: str = VersionPath
) -> PolicyOut:
    """Record that you read this version (once; repeating returns the first time)."""
    member = owner_member(session, principal.member_id or "")
    view = policies.acknowledge(session, member, version, utcnow().date())
    return PolicyOut.model_validate(view, from_attributes=True)


@router.get("/admin/policies", response_model=list[PolicyVersionOut])
def list_versions(staff: AnyStaff, session: DbSession) -> list[PolicyVersionOut]:
    return [
        PolicyVersionOut(
            version=v.version, effective_from=v.effective_from, published_at=aware(v.published_at)
        )
        for v in policies.versions(session)
    ]


@router.post("/admin/policies", response_model=PolicyVersionOut, status_code=201)
def publish(body: PolicyIn, staff: AdminStaff, session: DbSession) -> Response:
    """Publish a new version; clauses must be marked {obligation} or {suggestion}."""
    record = policies.publish(
        session, staff, body.version, body.effective_from, body.text, body.reason
    )
    out = PolicyVersionOut(
        version=record.version,
        effective_from=record.effective_from,
        published_at=aware(record.published_at),
    )
    return JSONResponse(out.model_dump(mode="json"), status_code=201)

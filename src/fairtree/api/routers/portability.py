"""A member's own data, all of it, as a zip; and closing the account (erasure)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from fairtree.api.deps import DbSession, MemberSignIn
from fairtree.api.schemas_member_data import ClosedOut, CloseIn
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.clock import utcnow
from fairtree.services.member_data import account_closing, portability

router = APIRouter(prefix="/me", tags=["portability"])


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def export(principal: MemberSignIn, session: DbSession) -> Response:
    """Everything you own, as JSON and CSV files in one zip."""
    owner = owner_member(session, principal.member_id or "")
    authorize(session, principal, owner, DataKind.PROFILE, record="export")
    today = utcnow().date()
    data = portability.export_zip(session, owner, today)
    name = f"fairtree-{owner.member_id}-{today.isoformat()}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/close", response_model=ClosedOut)
def close_account(body: CloseIn, principal: MemberSignIn, session: DbSession) -> ClosedOut:
    """Close your account: personal data erased, orders and ledger kept, the tree unchanged.

    Send your password and ``"confirm": "close my account"``. Every session ends.
    """
    owner = owner_member(session, principal.member_id or "")
    authorize(session, principal, owner, DataKind.PROFILE, record="close", write=True)
    closed = account_closing.close_account(
        session, principal, owner, body.password, utcnow().date()
    )
    return ClosedOut(**closed.__dict__)

"""Help on request: ask your sponsor, an upline member, a mentor or the company;
mentoring offers; leaders' care metrics.

A help request is seen only by its two sides (the asker, and the member asked or, for
the company, support staff); anyone else gets the standard 404. A helper's read is
written to the asker's access log. Care metrics are aggregates about how a leader
supports others (no personal data) and are open to every signed-in user.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from fairtree.api.deps import DbSession, MemberSignIn, SignedIn
from fairtree.api.idempotent import created
from fairtree.api.params import IdempotencyKey, InputDate, Limit, MemberId, Offset, RowId
from fairtree.api.schemas_member_data import (
    CareOut,
    HelpRequestIn,
    HelpRequestOut,
    MentoringIn,
    MentorOut,
    MessageIn,
)
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.care import care_metrics as care
from fairtree.services.care import help_requests
from fairtree.services.care.help_requests import RequestView
from fairtree.services.clock import utcnow

router = APIRouter(tags=["help"])


def _out(view: RequestView) -> HelpRequestOut:
    return HelpRequestOut.model_validate(view, from_attributes=True)


@router.get("/help/requests", response_model=list[HelpRequestOut])
def list_requests(
    principal: SignedIn, session: DbSession, limit: Limit = 100, offset: Offset = 0
) -> list[HelpRequestOut]:
    """Requests you asked or were asked (support staff: those to the company)."""
    return [_out(v) for v in help_requests.my_requests(session, principal, limit, offset)]


@router.post("/help/requests", response_model=HelpRequestOut, status_code=201)
def ask_for_help(
    request: Request,
    body: HelpRequestIn,
    principal: MemberSignIn,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    asker = owner_member(session, principal.member_id or "")
    return created(
        request,
        session,
        principal,
        idempotency_key,
        body,
        lambda: _out(
            help_requests.ask(
                session,
                principal,
                asker,
                body.helper_kind,
                body.helper_member_id,
                body.subject,
                body.body,
            )
        ),
    )


@router.get("/help/requests/{request_id}", response_model=HelpRequestOut)
def read_request(request_id: RowId, principal: SignedIn, session: DbSession) -> HelpRequestOut:
    return _out(help_requests.read_request(session, principal, request_id))


@router.post("/help/requests/{request_id}/messages", response_model=HelpRequestOut)
def add_message(
    request_id: RowId, body: MessageIn, principal: SignedIn, session: DbSession
) -> HelpRequestOut:
    """Reply; the helper's first reply marks the request answered and stamps the time."""
    return _out(help_requests.reply(session, principal, request_id, body.body))


@router.post("/help/requests/{request_id}/close", response_model=HelpRequestOut)
def close_request(request_id: RowId, principal: SignedIn, session: DbSession) -> HelpRequestOut:
    return _out(help_requests.finish(session, principal, request_id, "closed"))


@router.post("/help/requests/{request_id}/withdraw", response_model=HelpRequestOut)
def withdraw_request(request_id: RowId, principal: SignedIn, session: DbSession) -> HelpRequestOut:
    return _out(help_requests.finish(session, principal, request_id, "withdrawn"))


@router.get("/help/mentors", response_model=list[MentorOut])
def list_mentors(principal: SignedIn, session: DbSession) -> list[MentorOut]:
    """Members who offer mentoring, with their topics."""
    return [MentorOut(**m.__dict__) for m in help_requests.mentors(session)]


@router.put("/me/mentoring", response_model=MentorOut)
def offer_mentoring(body: MentoringIn, principal: MemberSignIn, session: DbSession) -> MentorOut:
    member = owner_member(session, principal.member_id or "")
    return MentorOut(**help_requests.offer_mentoring(session, member, body.topics).__dict__)


@router.delete("/me/mentoring", status_code=204)
def withdraw_mentoring(principal: MemberSignIn, session: DbSession) -> Response:
    member = owner_member(session, principal.member_id or "")
    help_requests.withdraw_mentoring(session, member)
    return Response(status_code=204)


@router.get("/members/{member_id}/care", response_model=CareOut)
def care_metrics(
    member_id: MemberId,
    principal: SignedIn,
    session: DbSession,
    as_of: Annotated[InputDate | None, Query(description="default: today")] = None,
) -> CareOut:
    """How this leader supports others: answer time, retention of those they sponsored."""
    leader = owner_member(session, member_id)
    authorize(session, principal, leader, DataKind.CARE, record="care")
    metrics = care.care_metrics(session, leader, as_of or utcnow().date())
    return CareOut.model_validate(metrics, from_attributes=True)

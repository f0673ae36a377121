"""A member's private notes and their own goals (kinds ``notes`` and ``goals``).

Only the owner writes. Nobody can create a goal for someone else: the routes take the
owner from the URL and the policy refuses every write that is not the owner's own.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fairtree.api.deps import DbSession, Reason, SignedIn
from fairtree.api.idempotent import created
from fairtree.api.params import IdempotencyKey, Limit, MemberId, Offset, RowId
from fairtree.api.schemas_member_data import GoalIn, GoalOut, NoteIn, NoteOut
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.clock import utcnow
from fairtree.services.member_data import goals, notes

router = APIRouter(prefix="/members/{member_id}", tags=["notes and goals"])


@router.get("/notes", response_model=list[NoteOut])
def list_notes(
    member_id: MemberId,
    principal: SignedIn,
    session: DbSession,
    reason: Reason,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[NoteOut]:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.NOTES, record="list", reason=reason)
    return [NoteOut(**n.__dict__) for n in notes.list_notes(session, owner, limit, offset)]


@router.post("/notes", response_model=NoteOut, status_code=201)
def add_note(
    request: Request,
    member_id: MemberId,
    body: NoteIn,
    principal: SignedIn,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.NOTES, record="new", write=True)
    return created(
        request,
        session,
        principal,
        idempotency_key,
        body,
        lambda: NoteOut(
            **notes.add_note(
                session, owner, body.body, body.about_customer_id, body.about_contact_id
            ).__dict__
        ),
    )


@router.get("/notes/{note_id}", response_model=NoteOut)
def read_note(
    member_id: MemberId, note_id: RowId, principal: SignedIn, session: DbSession, reason: Reason
) -> NoteOut:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.NOTES, record=f"note:{note_id}", reason=reason)
    return NoteOut(**notes.get_note(session, owner, note_id).__dict__)


@router.delete("/notes/{note_id}", status_code=204)
def delete_note(
    member_id: MemberId, note_id: RowId, principal: SignedIn, session: DbSession
) -> Response:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.NOTES, record=f"note:{note_id}", write=True)
    notes.delete_note(session, owner, note_id)
    return Response(status_code=204)


@router.get("/goals", response_model=list[GoalOut])
def list_goals(
    member_id: MemberId, principal: SignedIn, session: DbSession, reason: Reason
) -> list[GoalOut]:
    """The member's goals with progress measured from their own data today."""
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.GOALS, record="list", reason=reason)
    return [GoalOut(**g.__dict__) for g in goals.list_goals(session, owner, utcnow().date())]


@router.post("/goals", response_model=GoalOut, status_code=201)
def add_goal(
    request: Request,
    member_id: MemberId,
    body: GoalIn,
    principal: SignedIn,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Set a goal for yourself; the policy refuses anyone else (no assigned quotas)."""
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.GOALS, record="new", write=True)
    return created(
        request,
        session,
        principal,
        idempotency_key,
        body,
        lambda: GoalOut(
            **goals.add_goal(
                session, owner, body.title, body.metric, body.target, body.starts_on, body.due_on
            ).__dict__
        ),
    )


@router.get("/goals/{goal_id}", response_model=GoalOut)
def read_goal(
    member_id: MemberId, goal_id: RowId, principal: SignedIn, session: DbSession, reason: Reason
) -> GoalOut:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.GOALS, record=f"goal:{goal_id}", reason=reason)
    return GoalOut(**goals.get_goal(session, owner, goal_id, utcnow().date()).__dict__)


@router.delete("/goals/{goal_id}", status_code=204)
def delete_goal(
    member_id: MemberId, goal_id: RowId, principal: SignedIn, session: DbSession
) -> Response:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.GOALS, record=f"goal:{goal_id}", write=True)
    goals.delete_goal(session, owner, goal_id)
    return Response(status_code=204)

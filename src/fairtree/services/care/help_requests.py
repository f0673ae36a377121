"""Help on request: a member asks their sponsor, an upline member, a mentor, or the
company; only the asker and the one asked take part.

Help is never pushed down: there is no way to open a request *to* a downline member or
to assign anything to anyone. States: open -> answered (the helper's first reply,
stamped in ``first_answered_at``) -> closed (by the asker); an open request may be
withdrawn by the asker. Closed and withdrawn requests take no more messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    ValidationError,
)
from fairtree.services.access.access_log import log_reads
from fairtree.services.access.principal import Principal
from fairtree.services.clock import aware, utcnow
from fairtree.store.models import HelpMessage, HelpRequest, Member, MentoringOffer
from fairtree.store.models.help import HELPER_KINDS
from fairtree.store.repositories.care import help as help_repo
from fairtree.store.repositories.network.members import (
    external_id,
    member_by_external_id,
    member_by_pk,
)
from fairtree.store.repositories.network.sponsor_tree import upline_depth

HELP_KIND = "help_requests"  # the access-log kind of a helper reading a request
MAX_TOPICS = 20


@dataclass(frozen=True)
class MessageView:
    from_asker: bool
    body: str
    created_at: datetime


@dataclass(frozen=True)
class RequestView:
    id: int
    asker_member_id: str
    helper_kind: str
    helper_member_id: str | None
    subject: str
    state: str
    created_at: datetime
    first_answered_at: datetime | None
    closed_at: datetime | None
    messages: list[MessageView]


@dataclass(frozen=True)
class MentorView:
    member_id: str
    display_name: str
    topics: list[str]


def offer_mentoring(session: Session, member: Member, topics: list[str]) -> MentorView:
    """Offer to help anyone who asks on these topics (replaces an earlier offer)."""
    cleaned = sorted({t.strip() for t in topics if t.strip()})
    problems = []
    if not cleaned:
        problems.append(Problem("mentoring", "offer", "topics", "name at least one topic"))
    if len(cleaned) > MAX_TOPICS or any(len(t) > 60 or "," in t for t in cleaned):
        problems.append(
            Problem(
                "mentoring",
                "offer",
                "topics",
                f"at most {MAX_TOPICS} topics of 60 characters, without commas",
            )
        )
    if problems:
        raise ValidationError(problems)
    withdraw_mentoring(session, member)
    try:
        with session.begin_nested():
            offer = MentoringOffer(
                member_id=member.id, topics=",".join(cleaned), offered_at=utcnow()
            )
            session.add(offer)
            session.flush()
    except IntegrityError:  # the unique index on live offers: a concurrent offer won
        raise ConflictError("another mentoring offer was saved at the same moment") from None
    return MentorView(member.member_id, member.display_name, cleaned)


def withdraw_mentoring(session: Session, member: Member) -> bool:
    """Withdraw the live offer; True if there was one."""
    offer = help_repo.live_offer(session, member.id)
    if offer is None:
        return False
    offer.withdrawn_at = utcnow()
    session.flush()
    return True


def mentors(session: Session) -> list[MentorView]:
    return [
        MentorView(member.member_id, member.display_name, offer.topics.split(","))
        for offer, member in help_repo.live_offers(session)
    ]


def _helper(session: Session, asker: Member, kind: str, helper_id: str | None) -> Member | None:
    """The member asked, checked against the kind of helper the asker chose."""
    where = "helper_member_id"
    if kind not in HELPER_KINDS:
        raise ValidationError(
            [Problem("help", "new", "helper_kind", f"must be one of {', '.join(HELPER_KINDS)}")]
        )
    if kind == "company":
        if helper_id is not None:
            raise ValidationError([Problem("help", "new", where, "leave empty for the company")])
        return None
    if kind == "sponsor":
        if asker.sponsor_id is None:
            raise ValidationError([Problem("help", "new", "helper_kind", "you have no sponsor")])
        sponsor = member_by_pk(session, asker.sponsor_id)
        if helper_id is not None and (sponsor is None or sponsor.member_id != helper_id):
            raise ValidationError([Problem("help", "new", where, "is not your sponsor")])
        return sponsor
    helper = member_by_external_id(session, helper_id) if helper_id else None
    if helper is None or helper.id == asker.id or helper.status == "closed":
        raise ValidationError([Problem("help", "new", where, "no such member to ask")])
    if kind == "upline" and upline_depth(session, helper.id, asker.id) is None:
        raise ValidationError([Problem("help", "new", where, "is not in your upline")])
    if kind == "mentor" and help_repo.live_offer(session, helper.id) is None:
        raise ValidationError([Problem("help", "new", where, "does not offer mentoring")])
    return helper


def _check_body(body: str, field: str = "body") -> None:
    if not body.strip() or len(body) > 10_000:
        raise ValidationError([Problem("help", "message", field, "must be 1 to 10000 characters")])


def ask(
    session: Session,
    principal: Principal,
    asker: Member,
    helper_kind: str,
    helper_member_id: str | None,
    subject: str,
    body: str,
) -> RequestView:
    if not subject.strip() or len(subject) > 200:
        raise ValidationError([Problem("help", "new", "subject", "must be 1 to 200 characters")])
    _check_body(body)
    helper = _helper(session, asker, helper_kind, helper_member_id)
    now = utcnow()
    request = HelpRequest(
        asker_member_id=asker.id,
        helper_kind=helper_kind,
        helper_member_id=helper.id if helper else None,
        subject=subject.strip(),
        state="open",
        created_at=now,
    )
    session.add(request)
    session.flush()
    session.add(
        HelpMessage(
            request_id=request.id,
            author_user_id=principal.user_id,
            from_asker=True,
            body=body,
            created_at=now,
        )
    )
    session.flush()
    return view_of(session, request)


def _side(principal: Principal, request: HelpRequest) -> str | None:
    """'asker', 'helper' or None (not a participant)."""
    if principal.member_pk is not None and principal.member_pk == request.asker_member_id:
        return "asker"
    if principal.member_pk is not None and principal.member_pk == request.helper_member_id:
        return "helper"
    if request.helper_kind == "company" and principal.role in ("support", "admin", "owner"):
        return "helper"
    return None


def _participating(
    session: Session, principal: Principal, request_id: int
) -> tuple[HelpRequest, str]:
    request = help_repo.request_by_id(session, request_id)
    side = _side(principal, request) if request is not None else None
    if request is None or side is None:
        raise NotFoundError(f"no such help request: {request_id}")
    return request, side


def view_of(session: Session, request: HelpRequest) -> RequestView:
    messages = help_repo.messages_of(session, [request.id])
    helper_id = external_id(session, request.helper_member_id) if request.helper_member_id else None
    return RequestView(
        id=request.id,
        asker_member_id=external_id(session, request.asker_member_id) or "",
        helper_kind=request.helper_kind,
        helper_member_id=helper_id,
        subject=request.subject,
        state=request.state,
        created_at=aware(request.created_at),
        first_answered_at=aware(request.first_answered_at) if request.first_answered_at else None,
        closed_at=aware(request.closed_at) if request.closed_at else None,
        messages=[MessageView(m.from_asker, m.body, aware(m.created_at)) for m in messages],
    )


def read_request(session: Session, principal: Principal, request_id: int) -> RequestView:
    """A participant reads a request; a helper's read goes to the asker's access log."""
    request, side = _participating(session, principal, request_id)
    if side == "helper":
        log_reads(
            session, principal, [(request.asker_member_id, f"help:{request.id}")], HELP_KIND, None
        )
    return view_of(session, request)


def my_requests(
    session: Session, principal: Principal, limit: int, offset: int
) -> list[RequestView]:
    """Requests the reader asked or was asked (staff: those to the company).

    Requests the reader was asked are reads of the askers' data: each is logged.
    """
    found = help_repo.requests_for(
        session, principal.member_pk, principal.role in ("support", "admin", "owner"), limit, offset
    )
    helped = [(r.asker_member_id, f"help:{r.id}") for r in found]
    log_reads(session, principal, helped, HELP_KIND, None)  # the reader's own are skipped
    return [view_of(session, r) for r in found]


def reply(session: Session, principal: Principal, request_id: int, body: str) -> RequestView:
    request, side = _participating(session, principal, request_id)
    _check_body(body)
    if request.state in ("closed", "withdrawn"):
        raise ConflictError(f"help request {request_id} is {request.state}")
    now = utcnow()
    session.add(
        HelpMessage(
            request_id=request.id,
            author_user_id=principal.user_id,
            from_asker=side == "asker",
            body=body,
            created_at=now,
        )
    )
    if side == "helper" and request.first_answered_at is None:
        request.first_answered_at = now
        request.state = "answered"
    session.flush()
    return view_of(session, request)


def finish(session: Session, principal: Principal, request_id: int, to_state: str) -> RequestView:
    """The asker closes (open or answered) or withdraws (open only) their request."""
    request, side = _participating(session, principal, request_id)
    if side != "asker":
        raise PermissionDeniedError("only the member who asked closes or withdraws a request")
    allowed = {"closed": ("open", "answered"), "withdrawn": ("open",)}[to_state]
    if request.state not in allowed:
        raise ConflictError(f"help request {request_id} is {request.state}; cannot be {to_state}")
    request.state = to_state
    request.closed_at = utcnow()
    session.flush()
    return view_of(session, request)


def side_of(session: Session, principal: Principal, request_id: int) -> str:
    """'asker' or 'helper'; NotFoundError for anyone else (same as a missing request)."""
    return _participating(session, principal, request_id)[1]

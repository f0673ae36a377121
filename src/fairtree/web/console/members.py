"""Console member pages: search, a member's pay-relevant profile (private data only with
a stated reason), statements and rank history, enrolment, moves and terminations."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession
from fairtree.api.params import MemberId
from fairtree.errors import FairtreeError, Problem, ValidationError
from fairtree.services.access.authorization import (
    DataKind,
    ReasonRequiredError,
    authorize,
    owner_member,
)
from fairtree.services.clock import utcnow
from fairtree.services.member_data import contacts as member_contacts
from fairtree.services.member_data import member_records
from fairtree.services.network import genealogy, members
from fairtree.services.network.enrollment import NewMember
from fairtree.services.network.move_preview import preview_move, preview_termination
from fairtree.services.network.ranks import rank_history
from fairtree.services.network.staff_enrolment import enroll_member
from fairtree.store.models import Member
from fairtree.web.console.staff import (
    AdminPage,
    ConfirmedAction,
    StaffPage,
    failure_problems,
    page,
)
from fairtree.web.page_auth import PageForm

router = APIRouter(prefix="/console/members", include_in_schema=False)
PAGE_SIZE = 50


@router.get("", response_class=HTMLResponse)
def search(
    request: Request,
    staff: StaffPage,
    session: DbSession,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> HTMLResponse:
    """Members by id or display name: directory fields only, each listing logged."""
    text = " ".join(q.split())
    found = members.search_members(session, staff, text or None, None, PAGE_SIZE + 1, offset)
    shown = found[:PAGE_SIZE]
    return page(
        request,
        staff,
        "console/members.html",
        q=text,
        members=shown,
        offset=offset,
        more=len(found) > PAGE_SIZE,
        page_size=PAGE_SIZE,
    )


def _profile(
    request: Request,
    staff: StaffPage,
    session: DbSession,
    member_id: str,
    reason: str = "",
    status: int = 200,
    problems: list[str] | None = None,
) -> HTMLResponse:
    owner = owner_member(session, member_id)
    authorize(session, staff, owner, DataKind.DIRECTORY, record="summary")
    private = None
    if reason:
        authorize(session, staff, owner, DataKind.PROFILE, record="profile", reason=reason)
        private = member_records.profile(session, owner)
    sponsor = members.sponsor_id_of(session, owner)
    ranks = rank_history(session, owner.member_id) if staff.role != "support" else []
    return page(
        request,
        staff,
        "console/member.html",
        status,
        owner=owner,
        sponsor=sponsor,
        private=private,
        reason=reason,
        ranks=ranks,
        problems=problems,
    )


@router.get("/{member_id}", response_class=HTMLResponse)
def profile(
    request: Request, member_id: MemberId, staff: StaffPage, session: DbSession
) -> HTMLResponse:
    return _profile(request, staff, session, member_id)


@router.post("/{member_id}/private", response_class=HTMLResponse)
def read_private(
    request: Request, member_id: MemberId, form: PageForm, staff: StaffPage, session: DbSession
) -> HTMLResponse:
    """Private profile fields, after a stated reason (access-logged and audited)."""
    reason = " ".join(form.get("reason", "").split())[:500]
    if not reason:
        return _profile(
            request,
            staff,
            session,
            member_id,
            status=422,
            problems=["reason: say why you need this member's private data"],
        )
    return _profile(request, staff, session, member_id, reason=reason)


@router.post("/{member_id}/contacts", response_class=HTMLResponse)
def contacts_page(
    request: Request, member_id: MemberId, form: PageForm, staff: StaffPage, session: DbSession
) -> HTMLResponse:
    """A member's contacts, for an admin with a stated reason (logged, and shown in the
    member's "who read my data"). Support staff get the answer of a missing page."""
    owner = owner_member(session, member_id)
    reason = " ".join(form.get("reason", "").split())[:500]
    try:  # support staff: refused whatever the reason (404); admins: a reason is needed
        authorize(session, staff, owner, DataKind.CONTACTS, record="list", reason=reason or None)
    except ReasonRequiredError:
        return _profile(
            request, staff, session, member_id, status=422,
            problems=["reason: say why you need this member's contacts"],
        )  # fmt: skip
    listed = member_contacts.list_contacts(session, owner, 500, 0)
    return page(
        request, staff, "console/contacts.html", owner=owner, contacts=listed, reason=reason
    )


# Enrolment -------------------------------------------------------------------------------


@router.get("/new/enrol", response_class=HTMLResponse)
def enrol_form(request: Request, staff: AdminPage) -> HTMLResponse:
    return page(request, staff, "console/enrol.html", values={}, today=utcnow().date())


@router.post("/new/enrol", response_class=HTMLResponse)
def enrol(request: Request, form: PageForm, staff: AdminPage, session: DbSession) -> Response:
    """Enrol a member under a sponsor; the company's placement rule picks the slot."""
    values = {
        k: form.get(k, "").strip()
        for k in (
            "member_id",
            "sponsor_id",
            "display_name",
            "country",
            "currency",
            "joined_on",
            "reason",
        )
    }

    def run() -> str:
        try:
            joined = date.fromisoformat(values["joined_on"])
        except ValueError:
            raise ValidationError(
                [Problem("member", values["member_id"], "joined_on", "use YYYY-MM-DD")]
            ) from None
        new = NewMember(
            member_id=values["member_id"],
            joined_on=joined,
            display_name=values["display_name"] or values["member_id"],
            country=values["country"].upper() or None,
            currency=values["currency"].upper() or None,
        )
        done = enroll_member(session, staff, new, values["sponsor_id"], values["reason"])
        return f"/console/members/{done.member_id}"

    enrolment = ConfirmedAction(
        request,
        session,
        staff,
        lambda problems: page(
            request,
            staff,
            "console/enrol.html",
            values=values,
            today=utcnow().date(),
            problems=problems,
        ),
    )
    return enrolment.submit(form, run)


# Moves and terminations ------------------------------------------------------------------


def _move_action(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    owner: Member,
    values: dict[str, str],
) -> ConfirmedAction:
    """A move is asked from the move form (shown again, without a preview, on problems)."""
    return ConfirmedAction(
        request,
        session,
        staff,
        lambda problems: page(
            request,
            staff,
            "console/move.html",
            owner=owner,
            values=values,
            preview=None,
            problems=problems,
        ),
    )


def _terminate_action(
    request: Request, staff: AdminPage, session: DbSession, owner: Member
) -> ConfirmedAction:
    return ConfirmedAction(
        request,
        session,
        staff,
        lambda problems: page(
            request,
            staff,
            "console/terminate.html",
            owner=owner,
            preview=None,
            today=utcnow().date(),
            problems=problems,
        ),
    )


@router.get("/{member_id}/move", response_class=HTMLResponse)
def move_form(
    request: Request,
    member_id: MemberId,
    staff: AdminPage,
    session: DbSession,
    sponsor_id: str = Query("", max_length=64),
    downline: str = Query("follows"),
    reason: str = Query("", max_length=500),
    effective_on: str = Query("", max_length=10),
) -> Response:
    """The move form; with a new sponsor given, the preview of what changes and a confirm."""
    owner = owner_member(session, member_id)
    values = {
        "sponsor_id": sponsor_id.strip(),
        "downline": downline,
        "reason": reason.strip(),
        "effective_on": effective_on or utcnow().date().isoformat(),
    }
    preview, problems = None, None
    if values["sponsor_id"]:
        try:
            rule = genealogy.DownlineRule(downline)
            if not values["reason"]:
                raise ValidationError([Problem("move", member_id, "reason", "is required")])
            preview = preview_move(
                session, staff, member_id, values["sponsor_id"], rule, utcnow().date()
            )
        except ValueError:
            problems = ["downline: choose follows or stays"]
        except FairtreeError as error:
            problems = failure_problems(error)
    return _move_action(request, staff, session, owner, values).confirm(
        problems or [], "console/move.html", owner=owner, values=values, preview=preview
    )


@router.post("/{member_id}/move", response_class=HTMLResponse)
def move(
    request: Request, member_id: MemberId, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    owner = owner_member(session, member_id)
    values = {
        k: form.get(k, "").strip() for k in ("sponsor_id", "downline", "reason", "effective_on")
    }

    def run() -> str:
        try:
            effective = date.fromisoformat(values["effective_on"])
            rule = genealogy.DownlineRule(values["downline"])
        except ValueError:
            raise ValidationError(
                [
                    Problem(
                        "move",
                        member_id,
                        "effective_on",
                        "use YYYY-MM-DD; downline follows or stays",
                    )
                ]
            ) from None
        genealogy.move(
            session,
            staff,
            member_id,
            reason=values["reason"],
            effective_on=effective,
            sponsor_id=values["sponsor_id"],
            downline=rule,
        )
        return f"/console/members/{member_id}?moved=1"

    return _move_action(request, staff, session, owner, values).submit(form, run)


@router.get("/{member_id}/terminate", response_class=HTMLResponse)
def terminate_form(
    request: Request, member_id: MemberId, staff: AdminPage, session: DbSession
) -> HTMLResponse:
    owner = owner_member(session, member_id)
    problems = None
    try:
        preview = preview_termination(session, member_id)
    except FairtreeError as error:
        preview, problems = None, failure_problems(error)
    return page(
        request,
        staff,
        "console/terminate.html",
        owner=owner,
        preview=preview,
        today=utcnow().date(),
        problems=problems,
    )


@router.post("/{member_id}/terminate", response_class=HTMLResponse)
def terminate(
    request: Request, member_id: MemberId, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    owner = owner_member(session, member_id)

    def run() -> str:
        try:
            effective = date.fromisoformat(form.get("effective_on", "").strip())
        except ValueError:
            raise ValidationError(
                [Problem("terminate", member_id, "effective_on", "use YYYY-MM-DD")]
            ) from None
        genealogy.terminate(
            session, staff, member_id, reason=form.get("reason", ""), effective_on=effective
        )
        return f"/console/members/{member_id}"

    return _terminate_action(request, staff, session, owner).submit(form, run)

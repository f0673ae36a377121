"""Member back office pages that act on one record: a contact's consent, one help
request (read, reply, close or withdraw). Same rules as ``pages``: own data only,
CSRF on every form, problems re-rendered with status 422."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from fairtree.api.deps import DbSession
from fairtree.api.params import RowId
from fairtree.errors import Problem, ValidationError
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.care import help_requests
from fairtree.services.member_data import contacts
from fairtree.services.member_data.contacts import ContactFields
from fairtree.web.page_auth import PageForm, PageMember
from fairtree.web.pages import contacts_view
from fairtree.web.render import problems_of, render

router = APIRouter(prefix="/app", tags=["pages"], include_in_schema=False)


@router.post("/contacts/{contact_id}/consent", response_class=HTMLResponse)
def change_consent(
    request: Request, contact_id: RowId, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    """Change a contact's consent; the outreach list follows at once."""
    member = owner_member(session, principal.member_id or "")
    authorize(session, principal, member, DataKind.CONTACTS, record=f"contact:{contact_id}",
              write=True)  # fmt: skip
    contacts.get_contact(session, member, contact_id)  # 404 if not the member's own
    consent = form.get("consent", "")
    try:
        if not consent:
            raise ValidationError([Problem("contact", str(contact_id), "consent", "is required")])
        contacts.update_contact(session, member, contact_id, ContactFields(consent=consent))
    except ValidationError as error:
        return contacts_view(request, session, principal, 422, problems_of(error))
    return RedirectResponse("/app/contacts", status_code=303)


def _request_page(
    request: Request, session: DbSession, principal: PageMember, request_id: int,
    status: int = 200, problems: list[str] | None = None,
) -> HTMLResponse:  # fmt: skip
    member = owner_member(session, principal.member_id or "")
    view = help_requests.read_request(session, principal, request_id)
    side = help_requests.side_of(session, principal, request_id)
    return render(request, "help_request.html", status, member=member, help=view, side=side,
                  problems=problems)  # fmt: skip


@router.get("/help/{request_id}", response_class=HTMLResponse)
def help_request_page(
    request: Request, request_id: RowId, principal: PageMember, session: DbSession
) -> HTMLResponse:
    return _request_page(request, session, principal, request_id)


@router.post("/help/{request_id}/reply", response_class=HTMLResponse)
def reply(
    request: Request, request_id: RowId, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    help_requests.side_of(session, principal, request_id)  # 404 unless a participant
    try:
        help_requests.reply(session, principal, request_id, form.get("body", ""))
    except ValidationError as error:
        return _request_page(request, session, principal, request_id, 422, problems_of(error))
    return RedirectResponse(f"/app/help/{request_id}", status_code=303)


@router.post("/help/{request_id}/state", response_class=HTMLResponse)
def change_state(
    request: Request, request_id: RowId, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    """The asker closes (helped) or withdraws their request."""
    help_requests.side_of(session, principal, request_id)  # 404 unless a participant
    to_state = form.get("to", "")
    if to_state not in ("closed", "withdrawn"):
        problems = ["to: must be closed or withdrawn"]
        return _request_page(request, session, principal, request_id, 422, problems)
    help_requests.finish(session, principal, request_id, to_state)
    return RedirectResponse(f"/app/help/{request_id}", status_code=303)

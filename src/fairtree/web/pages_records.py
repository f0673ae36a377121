"""Own records in the back office: orders by period (own and retail customers'), a
contact or a retail customer edited in full (a contact also deleted), notes. Own data
only, CSRF on every form."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from fairtree.api.deps import DbSession
from fairtree.api.params import RecordId, RowId
from fairtree.errors import ValidationError
from fairtree.periods import Period
from fairtree.services.access.authorization import DataKind
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.services.commissions.period_plan import period_of
from fairtree.services.member_data import contacts, member_records, notes
from fairtree.services.member_data.contacts import ContactFields
from fairtree.services.orders import customers
from fairtree.services.orders.customers import CustomerFields
from fairtree.web.page_auth import PageForm, PageMember
from fairtree.web.pages_pay import me
from fairtree.web.render import problems_of, render
from fairtree.web.tables import Listing, TableQuery

router = APIRouter(prefix="/app", tags=["pages"], include_in_schema=False)


@router.get("/orders", response_class=HTMLResponse)
def orders_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    member = me(session, principal, DataKind.ORDERS, "orders")
    params = dict(request.query_params)
    current = period_of(session, utcnow().date())
    try:
        period = Period.parse(params["period"]) if params.get("period") else current
    except ValueError:
        period = current
    query = TableQuery.parse(params, (), "placed")
    rows, total = member_records.orders_in_period(
        session, member, period, query.limit, query.offset
    )
    listing = Listing("/app/orders", query, rows, total, "orders", {"period": period.key})
    return render(
        request,
        "orders.html",
        member=member,
        listing=listing,
        period=period,
        previous=period.previous().key,
        following=period.next().key,
    )


def _contact_page(
    request: Request,
    session: DbSession,
    principal: Principal,
    contact_id: int,
    status: int = 200,
    problems: list[str] | None = None,
) -> HTMLResponse:
    member = me(session, principal, DataKind.CONTACTS, f"contact:{contact_id}")
    contact = contacts.get_contact(session, member, contact_id)
    return render(
        request, "contact_edit.html", status, member=member, contact=contact, problems=problems
    )


@router.get("/contacts/{contact_id}", response_class=HTMLResponse)
def contact_page(
    request: Request, contact_id: RowId, principal: PageMember, session: DbSession
) -> HTMLResponse:
    return _contact_page(request, session, principal, contact_id)


@router.post("/contacts/{contact_id}", response_class=HTMLResponse)
def edit_contact(
    request: Request, contact_id: RowId, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = me(session, principal, DataKind.CONTACTS, f"contact:{contact_id}")
    contacts.get_contact(session, member, contact_id)  # 404 unless the member's own
    if not form.get("name", "").strip():
        return _contact_page(request, session, principal, contact_id, 422, ["name: is required"])
    fields = ContactFields(
        name=form.get("name", "").strip(),
        email=form.get("email", "").strip(),
        phone=form.get("phone", "").strip(),
        consent=form.get("consent", "") or None,
        relationship_mark=form.get("relationship_mark", "").strip(),
    )
    try:
        contacts.update_contact(session, member, contact_id, fields)
    except ValidationError as error:
        return _contact_page(request, session, principal, contact_id, 422, problems_of(error))
    return RedirectResponse("/app/contacts", status_code=303)


@router.post("/contacts/{contact_id}/delete", response_class=HTMLResponse)
def delete_contact(contact_id: RowId, principal: PageMember, session: DbSession) -> Response:
    member = me(session, principal, DataKind.CONTACTS, f"contact:{contact_id}")
    contacts.delete_contact(session, member, contact_id)
    return RedirectResponse("/app/contacts", status_code=303)


def _customer_page(
    request: Request,
    session: DbSession,
    principal: Principal,
    customer_id: str,
    status: int = 200,
    problems: list[str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    member = me(session, principal, DataKind.CUSTOMERS, f"customer:{customer_id}")
    customer = customers.own_customer(session, member, customer_id)
    return render(
        request,
        "customer_edit.html",
        status,
        member=member,
        customer=customer,
        values=form or {"name": customer.name, "country": customer.country},
        problems=problems,
    )


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
def customer_page(
    request: Request, customer_id: RecordId, principal: PageMember, session: DbSession
) -> HTMLResponse:
    return _customer_page(request, session, principal, customer_id)


@router.post("/customers/{customer_id}", response_class=HTMLResponse)
def edit_customer(
    request: Request,
    customer_id: RecordId,
    form: PageForm,
    principal: PageMember,
    session: DbSession,
) -> Response:
    member = me(session, principal, DataKind.CUSTOMERS, f"customer:{customer_id}")
    fields = CustomerFields(
        name=form.get("name", "").strip(), country=form.get("country", "").strip().upper()
    )
    try:
        customers.update_customer(session, principal, member, customer_id, fields)
    except ValidationError as error:
        values = {"name": fields.name or "", "country": fields.country or ""}
        return _customer_page(
            request, session, principal, customer_id, 422, problems_of(error), values
        )
    return RedirectResponse("/app/customers", status_code=303)


def _notes(
    request: Request,
    session: DbSession,
    principal: Principal,
    status: int = 200,
    problems: list[str] | None = None,
) -> HTMLResponse:
    member = me(session, principal, DataKind.NOTES, "list")
    return render(
        request,
        "notes.html",
        status,
        member=member,
        notes=notes.list_notes(session, member, 200, 0),
        problems=problems,
    )


@router.get("/notes", response_class=HTMLResponse)
def notes_page(request: Request, principal: PageMember, session: DbSession) -> HTMLResponse:
    return _notes(request, session, principal)


@router.post("/notes", response_class=HTMLResponse)
def add_note(
    request: Request, form: PageForm, principal: PageMember, session: DbSession
) -> Response:
    member = me(session, principal, DataKind.NOTES, "new")
    try:
        notes.add_note(session, member, form.get("body", ""))
    except ValidationError as error:
        return _notes(request, session, principal, 422, problems_of(error))
    return RedirectResponse("/app/notes", status_code=303)


@router.post("/notes/{note_id}/delete", response_class=HTMLResponse)
def delete_note(note_id: RowId, principal: PageMember, session: DbSession) -> Response:
    member = me(session, principal, DataKind.NOTES, f"note:{note_id}")
    notes.delete_note(session, member, note_id)
    return RedirectResponse("/app/notes", status_code=303)

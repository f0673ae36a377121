"""Contacts and consent, retail customers the owner adds, and the outreach list.

Reads go through the policy as kind ``contacts`` / ``customers`` (owner, grantees,
staff with a reason; logged). Writes are the owner's alone. The outreach list is the
owner's only and never holds a do-not-contact or unconsented contact.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fairtree.api.deps import DbSession, MemberSignIn, Reason, SignedIn
from fairtree.api.idempotent import created
from fairtree.api.params import IdempotencyKey, Limit, MemberId, Offset, RecordId, RowId
from fairtree.api.schemas import CustomerOut
from fairtree.api.schemas_member_data import (
    ContactIn,
    ContactOut,
    ContactPatch,
    CustomerIn,
    CustomerPatch,
    LeftOutOut,
    OutreachOut,
)
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.clock import utcnow
from fairtree.services.member_data import contacts
from fairtree.services.member_data.contacts import ContactFields
from fairtree.services.orders import customers
from fairtree.services.orders.customers import CustomerFields
from fairtree.store.models import Contact, Member

router = APIRouter(tags=["contacts"])


def contact_out(contact: Contact) -> ContactOut:
    return ContactOut(
        id=contact.id,
        name=contact.name,
        email=contact.email,
        phone=contact.phone,
        consent=contact.consent,
        relationship_mark=contact.relationship_mark,
        created_on=contact.created_on,
    )


def own_member(session: DbSession, principal: MemberSignIn) -> Member:
    """The signed-in member's own record (``/me`` routes)."""
    owner = owner_member(session, principal.member_id or "")
    authorize(session, principal, owner, DataKind.CONTACTS, record="outreach")
    return owner


@router.get("/members/{member_id}/contacts", response_model=list[ContactOut])
def list_contacts(
    member_id: MemberId,
    principal: SignedIn,
    session: DbSession,
    reason: Reason,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[ContactOut]:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.CONTACTS, record="list", reason=reason)
    return [contact_out(c) for c in contacts.list_contacts(session, owner, limit, offset)]


@router.post("/members/{member_id}/contacts", response_model=ContactOut, status_code=201)
def add_contact(
    request: Request,
    member_id: MemberId,
    body: ContactIn,
    principal: SignedIn,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.CONTACTS, record="new", write=True)
    fields = ContactFields(**body.model_dump())
    return created(
        request,
        session,
        principal,
        idempotency_key,
        body,
        lambda: contact_out(contacts.add_contact(session, owner, fields, utcnow().date())),
    )


@router.get("/members/{member_id}/contacts/{contact_id}", response_model=ContactOut)
def read_contact(
    member_id: MemberId, contact_id: RowId, principal: SignedIn, session: DbSession, reason: Reason
) -> ContactOut:
    owner = owner_member(session, member_id)
    record = f"contact:{contact_id}"
    authorize(session, principal, owner, DataKind.CONTACTS, record=record, reason=reason)
    return contact_out(contacts.get_contact(session, owner, contact_id))


@router.patch("/members/{member_id}/contacts/{contact_id}", response_model=ContactOut)
def update_contact(
    member_id: MemberId,
    contact_id: RowId,
    body: ContactPatch,
    principal: SignedIn,
    session: DbSession,
) -> ContactOut:
    """Change a contact; consent changes take effect on the next outreach list."""
    owner = owner_member(session, member_id)
    record = f"contact:{contact_id}"
    authorize(session, principal, owner, DataKind.CONTACTS, record=record, write=True)
    fields = ContactFields(**body.model_dump(exclude_unset=True))
    return contact_out(contacts.update_contact(session, owner, contact_id, fields))


@router.delete("/members/{member_id}/contacts/{contact_id}", status_code=204)
def delete_contact(
    member_id: MemberId, contact_id: RowId, principal: SignedIn, session: DbSession
) -> Response:
    owner = owner_member(session, member_id)
    record = f"contact:{contact_id}"
    authorize(session, principal, owner, DataKind.CONTACTS, record=record, write=True)
    contacts.delete_contact(session, owner, contact_id)
    return Response(status_code=204)


@router.get("/me/contacts/outreach", response_model=OutreachOut)
def outreach(principal: MemberSignIn, session: DbSession) -> OutreachOut:
    """Opted-in contacts only; says how many were left out (do-not-contact, unknown) and why."""
    listed = contacts.outreach_list(session, own_member(session, principal))
    return OutreachOut(
        contacts=[contact_out(c) for c in listed.contacts],
        left_out=[LeftOutOut(**item.__dict__) for item in listed.left_out],
        left_out_total=listed.left_out_total,
    )


@router.get(
    "/me/contacts/outreach.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def outreach_csv(principal: MemberSignIn, session: DbSession) -> Response:
    """The outreach list as CSV; the ``X-Outreach-Left-Out`` header says who was left out."""
    listed = contacts.outreach_list(session, own_member(session, principal))
    return Response(
        contacts.outreach_csv(listed),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="outreach.csv"',
            "X-Outreach-Left-Out": contacts.left_out_summary(listed),
        },
    )


@router.post("/members/{member_id}/customers", response_model=CustomerOut, status_code=201)
def add_customer(
    request: Request,
    member_id: MemberId,
    body: CustomerIn,
    principal: SignedIn,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Add a retail customer of yours (never visible to your upline)."""
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.CUSTOMERS, record="new", write=True)

    def create() -> CustomerOut:
        customer = customers.add_customer(session, owner, body.name, body.country, utcnow().date())
        return CustomerOut(
            customer_id=customer.customer_id,
            name=customer.name,
            country=customer.country,
            created_on=customer.created_on,
        )

    return created(request, session, principal, idempotency_key, body, create)


@router.patch("/members/{member_id}/customers/{customer_id}", response_model=CustomerOut)
def update_customer(
    member_id: MemberId,
    customer_id: RecordId,
    body: CustomerPatch,
    principal: SignedIn,
    session: DbSession,
) -> CustomerOut:
    """Change a retail customer of yours (name, country); yours alone, never an upline's."""
    owner = owner_member(session, member_id)
    record = f"customer:{customer_id}"
    authorize(session, principal, owner, DataKind.CUSTOMERS, record=record, write=True)
    fields = CustomerFields(**body.model_dump(exclude_unset=True))
    customer = customers.update_customer(session, principal, owner, customer_id, fields)
    return CustomerOut(
        customer_id=customer.customer_id,
        name=customer.name,
        country=customer.country,
        created_on=customer.created_on,
    )

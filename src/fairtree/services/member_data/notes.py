"""A member's private notes, optionally about one of their own customers or contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.services.clock import aware, utcnow
from fairtree.store.models import Member, Note
from fairtree.store.repositories.member_data import own_records

MAX_NOTE_CHARS = 10_000


@dataclass(frozen=True)
class NoteView:
    id: int
    body: str
    about_customer_id: str | None
    about_contact_id: int | None
    created_at: datetime
    updated_at: datetime


def _views(session: Session, notes: list[Note]) -> list[NoteView]:
    customers = own_records.customer_external_ids(
        session, [n.about_customer_id for n in notes if n.about_customer_id is not None]
    )
    return [
        NoteView(
            id=n.id,
            body=n.body,
            about_customer_id=customers.get(n.about_customer_id) if n.about_customer_id else None,
            about_contact_id=n.about_contact_id,
            created_at=aware(n.created_at),
            updated_at=aware(n.updated_at),
        )
        for n in notes
    ]


def list_notes(session: Session, owner: Member, limit: int, offset: int) -> list[NoteView]:
    return _views(session, own_records.notes_of(session, owner.id, limit, offset))


def get_note(session: Session, owner: Member, note_id: int) -> NoteView:
    note = own_records.note_of(session, owner.id, note_id)
    if note is None:
        raise NotFoundError(f"no such note: {note_id}")
    return _views(session, [note])[0]


def add_note(
    session: Session,
    owner: Member,
    body: str,
    about_customer_id: str | None = None,
    about_contact_id: int | None = None,
) -> NoteView:
    """A note; what it is about must be the owner's own customer or contact."""
    problems = []
    if not body.strip():
        problems.append(Problem("note", "new", "body", "is empty"))
    if len(body) > MAX_NOTE_CHARS:
        problems.append(Problem("note", "new", "body", f"is over {MAX_NOTE_CHARS} characters"))
    if about_customer_id is not None and about_contact_id is not None:
        problems.append(Problem("note", "new", "about", "name a customer or a contact, not both"))
    customer_pk = contact_pk = None
    if about_customer_id is not None:
        customer = own_records.customer_of(session, owner.id, about_customer_id)
        if customer is None:
            problems.append(
                Problem("note", "new", "about_customer_id", "no such customer of yours")
            )
        else:
            customer_pk = customer.id
    if about_contact_id is not None:
        contact = own_records.contact_of(session, owner.id, about_contact_id)
        if contact is None:
            problems.append(Problem("note", "new", "about_contact_id", "no such contact of yours"))
        else:
            contact_pk = contact.id
    if problems:
        raise ValidationError(problems)
    now = utcnow()
    note = Note(
        owner_member_id=owner.id,
        about_customer_id=customer_pk,
        about_contact_id=contact_pk,
        body=body,
        created_at=now,
        updated_at=now,
    )
    session.add(note)
    session.flush()
    return _views(session, [note])[0]


def delete_note(session: Session, owner: Member, note_id: int) -> None:
    note = own_records.note_of(session, owner.id, note_id)
    if note is None:
        raise NotFoundError(f"no such note: {note_id}")
    session.delete(note)
    session.flush()

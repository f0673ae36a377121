"""A member's contacts and consent, and the outreach list that honours it.

Only contacts who opted in may be reached. Every outreach list (API, CSV, page) comes
from ``outreach_list``, which leaves out do-not-contact and unconsented (unknown)
contacts and says how many it left out and why, so nothing can queue outreach to
someone who did not agree to it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.store.models import Contact, Member
from fairtree.store.models.customers import CONSENT_STATES, RELATIONSHIP_MARKS
from fairtree.store.repositories.member_data import own_records

LEFT_OUT_REASONS = {
    "do_not_contact": "asked not to be contacted",
    "unknown": "has not opted in (consent unknown)",
}
_FIELDS = ("name", "email", "phone", "consent", "relationship_mark")


@dataclass(frozen=True)
class ContactFields:
    """What the owner may set on a contact; None on update means "leave as is"."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    consent: str | None = None
    relationship_mark: str | None = None


@dataclass(frozen=True)
class LeftOut:
    consent: str
    count: int
    reason: str


@dataclass(frozen=True)
class OutreachList:
    contacts: list[Contact]
    left_out: list[LeftOut]

    @property
    def left_out_total(self) -> int:
        return sum(item.count for item in self.left_out)


def _check(fields: ContactFields, creating: bool, location: str) -> None:
    problems = []
    if creating and not (fields.name and fields.name.strip()):
        problems.append(Problem("contact", location, "name", "is required"))
    if fields.name is not None and len(fields.name.strip()) > 200:
        problems.append(Problem("contact", location, "name", "is longer than 200 characters"))
    if fields.consent is not None and fields.consent not in CONSENT_STATES:
        allowed = ", ".join(CONSENT_STATES)
        problems.append(Problem("contact", location, "consent", f"must be one of {allowed}"))
    mark = fields.relationship_mark
    if mark not in (None, "", *RELATIONSHIP_MARKS):
        allowed = ", ".join(RELATIONSHIP_MARKS)
        problems.append(
            Problem("contact", location, "relationship_mark", f"must be empty or {allowed}")
        )
    if fields.email and "@" not in fields.email:
        problems.append(Problem("contact", location, "email", "is not an email address"))
    if problems:
        raise ValidationError(problems)


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def list_contacts(session: Session, owner: Member, limit: int, offset: int) -> list[Contact]:
    return own_records.contacts_of(session, owner.id, limit, offset)


def get_contact(session: Session, owner: Member, contact_id: int) -> Contact:
    contact = own_records.contact_of(session, owner.id, contact_id)
    if contact is None:
        raise NotFoundError(f"no such contact: {contact_id}")
    return contact


def add_contact(session: Session, owner: Member, fields: ContactFields, today: date) -> Contact:
    _check(fields, creating=True, location="new")
    contact = Contact(
        owner_member_id=owner.id,
        name=(fields.name or "").strip(),
        email=_blank_to_none(fields.email),
        phone=_blank_to_none(fields.phone),
        consent=fields.consent or "unknown",
        relationship_mark=_blank_to_none(fields.relationship_mark),
        created_on=today,
    )
    session.add(contact)
    session.flush()
    return contact


def update_contact(
    session: Session, owner: Member, contact_id: int, fields: ContactFields
) -> Contact:
    contact = get_contact(session, owner, contact_id)
    _check(fields, creating=False, location=str(contact_id))
    for name in _FIELDS:
        value = getattr(fields, name)
        if value is None:
            continue
        if name == "name":
            contact.name = value.strip()
        elif name == "consent":
            contact.consent = value
        else:
            setattr(contact, name, _blank_to_none(value))
    session.flush()
    return contact


def delete_contact(session: Session, owner: Member, contact_id: int) -> None:
    """Delete a contact; notes about them stay, no longer pointing at anyone."""
    contact = get_contact(session, owner, contact_id)
    for note in own_records.notes_about_contact(session, owner.id, contact.id):
        note.about_contact_id = None
    session.delete(contact)
    session.flush()


def outreach_list(session: Session, owner: Member) -> OutreachList:
    """The owner's opted-in contacts, and how many were left out and why."""
    counts = own_records.consent_counts(session, owner.id)
    left_out = [
        LeftOut(consent, counts.get(consent, 0), reason)
        for consent, reason in LEFT_OUT_REASONS.items()
    ]
    contacts = own_records.contacts_of(session, owner.id, consent="opted_in")
    return OutreachList(contacts=contacts, left_out=left_out)


def outreach_csv(outreach: OutreachList) -> str:
    """The outreach list as CSV: opted-in contacts only, one per row.

    The file holds nothing but contacts (so a mail tool importing it cannot mistake a
    note for an address); who was left out travels with it as ``left_out_summary``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "email", "phone", "relationship_mark"])
    for contact in outreach.contacts:
        writer.writerow(
            [
                spreadsheet_safe(contact.name),
                spreadsheet_safe(contact.email or ""),
                spreadsheet_safe(contact.phone or ""),
                spreadsheet_safe(contact.relationship_mark or ""),
            ]
        )
    return out.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula
    (``=HYPERLINK(...)``, ``+1 555``, ``@SUM(...)``): shown as text, never evaluated."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def left_out_summary(outreach: OutreachList) -> str:
    """One line: how many were left out, per consent state, and why."""
    return "; ".join(f"{i.consent}={i.count} ({i.reason})" for i in outreach.left_out)

"""Set-based statements that erase one member's personal data when they close their
account. Orders, ledger rows and the member's node in the tree are not touched."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from fairtree.store.models import (
    AccessGrant,
    Contact,
    Customer,
    Goal,
    HelpMessage,
    HelpRequest,
    MentoringOffer,
    Note,
)

ERASED = "[erased]"


def delete_private_records(session: Session, member_pk: int) -> dict[str, int]:
    """Delete notes, goals and contacts; returns how many of each went."""
    counts = {}
    for name, model, column in (
        ("notes", Note, Note.owner_member_id),
        ("goals", Goal, Goal.owner_member_id),
        ("contacts", Contact, Contact.owner_member_id),
    ):
        result = session.execute(delete(model).where(column == member_pk))
        counts[name] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    return counts


def anonymise_customers(session: Session, member_pk: int, label: str) -> int:
    """Customers stay (their orders are kept by law) but lose their names."""
    result = session.execute(
        update(Customer).where(Customer.member_id == member_pk).values(name=label)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_sharing(session: Session, member_pk: int, user_id: int | None, now: datetime) -> None:
    """Revoke grants the member gave and received; withdraw their mentoring offer."""
    given = AccessGrant.owner_member_id == member_pk
    received = AccessGrant.grantee_user_id == user_id if user_id is not None else given
    session.execute(
        update(AccessGrant)
        .where(or_(given, received), AccessGrant.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(MentoringOffer)
        .where(MentoringOffer.member_id == member_pk, MentoringOffer.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
    )


def erase_help_texts(session: Session, member_pk: int, user_id: int | None, now: datetime) -> None:
    """Blank what the member wrote in help requests; their open requests are withdrawn."""
    asked = select(HelpRequest.id).where(HelpRequest.asker_member_id == member_pk)
    session.execute(
        update(HelpMessage)
        .where(HelpMessage.request_id.in_(asked), HelpMessage.from_asker.is_(True))
        .values(body=ERASED)
    )
    if user_id is not None:
        session.execute(
            update(HelpMessage).where(HelpMessage.author_user_id == user_id).values(body=ERASED)
        )
    session.execute(
        update(HelpRequest).where(HelpRequest.asker_member_id == member_pk).values(subject=ERASED)
    )
    session.execute(
        update(HelpRequest)
        .where(
            HelpRequest.asker_member_id == member_pk, HelpRequest.state.in_(("open", "answered"))
        )
        .values(state="withdrawn", closed_at=now)
    )

"""Closing an account: personal data erased, what the law requires kept.

Erased: display name (replaced by an anonymous label), contacts, notes and goals
(deleted), customers' names (anonymised; the customer rows stay because their orders
are kept), what the member wrote in help requests, the sign-in's login, email and
password hash, every session and token, grants given and received, a mentoring offer.
Kept: orders and ledger rows (as the law requires), the access and audit logs, policy
acknowledgements, and the member's node in the tree with its sponsor and placement,
so nobody's group volume or pay changes. The closing is dated in the genealogy history
(a row with status ``closed`` from the closing day), so a later close of an earlier
period still sees the member as they were then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, Problem, ValidationError
from fairtree.services.access.actors import actor_label
from fairtree.services.access.audit import record_action
from fairtree.services.access.credentials import verify_password
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.services.orders.rank_progress import refresh_after_tree_change
from fairtree.store.models import Member
from fairtree.store.repositories.access import accounts as accounts_repo
from fairtree.store.repositories.member_data import erasure
from fairtree.store.repositories.network import genealogy_history

ANONYMOUS_CUSTOMER = "Former customer"
UNUSABLE_PASSWORD_HASH = "!closed"  # noqa: S105 - no argon2 hash looks like this: nothing verifies


def anonymous_label(member: Member) -> str:
    return f"Former member {member.id}"


@dataclass(frozen=True)
class ClosedAccount:
    member_id: str
    label: str
    deleted: dict[str, int]
    customers_anonymised: int


def close_account(
    session: Session,
    actor: Principal | None,
    member: Member,
    password: str | None,
    today: date,
    reason: str = "closed by the member",
) -> ClosedAccount:
    """Close ``member``'s account. A member closing their own must give their password."""
    if member.status == "closed":
        raise ConflictError(f"member {member.member_id} is already closed")
    user = accounts_repo.user_of_member(session, member.id)
    closing_own = actor is not None and actor.member_pk == member.id
    if closing_own and (user is None or not verify_password(user.password_hash, password or "")):
        raise ValidationError([Problem("request", "", "password", "does not match")])
    now = utcnow()
    deleted = erasure.delete_private_records(session, member.id)
    anonymised = erasure.anonymise_customers(session, member.id, ANONYMOUS_CUSTOMER)
    erasure.end_sharing(session, member.id, user.id if user else None, now)
    erasure.erase_help_texts(session, member.id, user.id if user else None, now)
    if user is not None:
        accounts_repo.revoke_everything(session, user.id, now)
        user.login = f"closed-{user.id}"
        user.email = None
        user.password_hash = UNUSABLE_PASSWORD_HASH
        user.disabled = True
    label = anonymous_label(member)
    member.display_name = label
    # History is appended to: the closing cannot predate the latest recorded change.
    since = max(
        today, member.joined_on, genealogy_history.latest_change(session, [member.id]) or today
    )
    member.status = "closed"
    member.status_since = since
    session.flush()
    genealogy_history.record_changes(
        session, [member.id], since, genealogy_history.CLOSE, actor_label(actor)
    )
    refresh_after_tree_change(session, since)  # a closed member no longer counts as active
    record_action(
        session,
        actor,
        action="account_closed",
        subject_kind="member",
        subject_id=member.member_id,
        reason=reason,
        after={"deleted": deleted, "customers_anonymised": anonymised},
    )
    return ClosedAccount(member.member_id, label, deleted, anonymised)

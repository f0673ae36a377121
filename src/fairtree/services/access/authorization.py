"""Who may see what of a member's data: one decision for every route.

A reader stands in one relationship to the member who owns the data (``relationship_of``),
may hold live grants from that owner, and may have stated a reason. ``decide`` turns
(relationship, data kind, grants, reason, write?) into allow, deny, or "state a reason".
``authorize`` applies it, logs every allowed read of another member's data to the
access log (and staff reads of private data to the audit log), and raises the same
NotFoundError for "denied" as for "missing", so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError, PermissionDeniedError
from fairtree.services.access.access_log import log_reads
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.store.models import Member
from fairtree.store.repositories.access import grants as access_repo
from fairtree.store.repositories.network.members import (
    member_by_external_id,
    names_by_external_id,
)
from fairtree.store.repositories.network.sponsor_tree import below, upline_depth


class Relationship(StrEnum):
    SELF = "self"
    SPONSOR = "sponsor"
    UPLINE = "upline"
    DOWNLINE = "downline"
    CROSSLINE = "crossline"
    ADMIN = "admin"
    SUPPORT = "support"
    ANONYMOUS = "anonymous"


class DataKind(StrEnum):
    TEAM = "team"  # display name, rank, volumes: what the plan needs to explain pay
    DIRECTORY = "directory"  # id, display name, status, join date, sponsor: staff look-ups
    PROFILE = "profile"  # the member's own profile: country, currency, status, sign-in email
    ORDERS = "orders"
    CUSTOMERS = "customers"
    CONTACTS = "contacts"
    NOTES = "notes"
    GOALS = "goals"
    ACCESS_LOG = "access_log"  # who read the member's data
    GRANTS = "grants"  # whom the member let read what
    PAY = "pay"  # the member's own statements and rank progress
    # How a leader supports others (answer times, retention of those they sponsored, team
    # size and earning share): for the leader, for their own team (who may ask them for
    # help) and for staff; not for their upline or crossline (no league tables of
    # downline leaders), unless the leader shares it.
    CARE = "care"


_KIND_VALUES = frozenset(k.value for k in DataKind)


class Outcome(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    NEED_REASON = "need_reason"


# A member may share these with a named person; access log and grants stay their own.
GRANTABLE = frozenset(
    {
        DataKind.TEAM,
        DataKind.PROFILE,
        DataKind.ORDERS,
        DataKind.CUSTOMERS,
        DataKind.CONTACTS,
        DataKind.NOTES,
        DataKind.GOALS,
        DataKind.PAY,
        DataKind.CARE,
    }
)
UPLINE_KINDS = frozenset({DataKind.TEAM})
# Support staff answer help requests; a member's customers and contacts are never theirs
# to read, whatever reason they give.
SUPPORT_NEVER = frozenset({DataKind.CUSTOMERS, DataKind.CONTACTS})
DOWNLINE_KINDS = frozenset({DataKind.CARE})
STAFF_FREE_KINDS = frozenset(
    {DataKind.TEAM, DataKind.DIRECTORY, DataKind.CARE}
)  # staff read these without stating a reason


class ReasonRequiredError(PermissionDeniedError):
    """Staff must state why they read a member's private data."""


def decide(
    relationship: Relationship,
    kind: DataKind,
    *,
    granted: frozenset[DataKind] = frozenset(),
    reason: str | None = None,
    write: bool = False,
) -> Outcome:
    """The whole policy in one function; see docs/decisions/0002-authorization.md."""
    if relationship is Relationship.SELF:
        return Outcome.ALLOW
    if write or relationship is Relationship.ANONYMOUS:
        return Outcome.DENY  # only the owner changes their own data
    if kind in granted and kind in GRANTABLE:
        return Outcome.ALLOW
    if relationship in (Relationship.SPONSOR, Relationship.UPLINE):
        return Outcome.ALLOW if kind in UPLINE_KINDS else Outcome.DENY
    if relationship is Relationship.SUPPORT and kind in SUPPORT_NEVER:
        return Outcome.DENY
    if relationship is Relationship.DOWNLINE and kind in DOWNLINE_KINDS:
        return Outcome.ALLOW
    if relationship in (Relationship.ADMIN, Relationship.SUPPORT):
        if kind in STAFF_FREE_KINDS or (reason and reason.strip()):
            return Outcome.ALLOW
        return Outcome.NEED_REASON
    return Outcome.DENY  # downline, crossline


def relationship_of(
    session: Session, principal: Principal | None, owner_member_pk: int
) -> Relationship:
    """How the reader stands to the owner in the current sponsor tree (or by role)."""
    if principal is None:
        return Relationship.ANONYMOUS
    if principal.role in ("owner", "admin"):
        return Relationship.ADMIN
    if principal.role == "support":
        return Relationship.SUPPORT
    reader = principal.member_pk
    if reader is None:
        return Relationship.ANONYMOUS
    if reader == owner_member_pk:
        return Relationship.SELF
    steps = upline_depth(session, ancestor_pk=reader, member_pk=owner_member_pk)
    if steps is not None:
        return Relationship.SPONSOR if steps == 1 else Relationship.UPLINE
    if upline_depth(session, ancestor_pk=owner_member_pk, member_pk=reader) is not None:
        return Relationship.DOWNLINE
    return Relationship.CROSSLINE


def granted_kinds(
    session: Session, principal: Principal | None, owner_member_pk: int
) -> frozenset[DataKind]:
    """Kinds the owner's live grants (not expired, not revoked) give this reader now."""
    if principal is None:
        return frozenset()
    kinds: set[DataKind] = set()
    for grant in access_repo.live_grants(session, owner_member_pk, principal.user_id, utcnow()):
        kinds.update(DataKind(k) for k in grant.kinds.split(",") if k in _KIND_VALUES)
    return frozenset(kinds)


@dataclass(frozen=True)
class Access:
    """An allowed read or write: how the reader stands, and the reason they gave."""

    relationship: Relationship
    reason: str | None


def authorize(
    session: Session,
    principal: Principal | None,
    owner: Member,
    kind: DataKind,
    *,
    record: str,
    reason: str | None = None,
    write: bool = False,
    log: bool = True,
) -> Access:
    """Allow, or raise NotFoundError / ReasonRequiredError; log reads of others' data.

    ``log=False`` is for callers that log each record themselves (the team view).
    """
    relationship = relationship_of(session, principal, owner.id)
    granted = (
        frozenset()
        if relationship is Relationship.SELF
        else granted_kinds(session, principal, owner.id)
    )
    outcome = decide(relationship, kind, granted=granted, reason=reason, write=write)
    if outcome is Outcome.DENY:
        raise NotFoundError(f"no such record: {kind} of member {owner.member_id}")
    if outcome is Outcome.NEED_REASON:
        raise ReasonRequiredError(
            "reading a member's private data needs a stated reason (X-Access-Reason header)"
        )
    reason = reason.strip() if reason and reason.strip() else None
    if principal is not None and relationship is not Relationship.SELF and not write and log:
        log_reads(session, principal, [(owner.id, record)], kind, reason)
        if principal.is_staff and kind not in STAFF_FREE_KINDS:
            record_action(
                session,
                principal,
                action="staff_read",
                subject_kind="member",
                subject_id=owner.member_id,
                reason=reason or "",
                after={"data_kind": str(kind), "record": record},
            )
    return Access(relationship, reason)


def authorize_company_read(principal: Principal | None, kind: DataKind) -> Relationship:
    """A staff read across the whole company (the console's tree and search), for a kind
    staff read without a reason; anyone else gets the standard 404. The caller logs each
    member shown to the access log, as every read of another member's data is."""
    relationship = {
        "owner": Relationship.ADMIN,
        "admin": Relationship.ADMIN,
        "support": Relationship.SUPPORT,
    }.get(principal.role if principal is not None else "")
    if relationship is None or decide(relationship, kind) is not Outcome.ALLOW:
        raise NotFoundError(f"no such record: {kind} of the company")
    return relationship


def visible_names(
    session: Session,
    principal: Principal | None,
    member_ids: set[str],
    record: str,
    log_session: Session | None = None,
) -> dict[str, str]:
    """Display names of those of ``member_ids`` whose team data (``DataKind.TEAM``) the
    reader may see (``decide``): themselves, their downline, and every member for staff.
    Set-based: one lookup of the members and one walk up from them. The names of others
    shown are logged as reads of their team data. Others (an upline, a crossline member)
    are left out: a page shows their id only. Grants are not consulted here (a member
    granted someone's team view still sees that member's id in an explanation).
    ``log_session`` writes the log where ``session`` is a read replica."""
    if principal is None or not member_ids:
        return {}
    found = names_by_external_id(session, member_ids)
    if principal.member_pk is None:
        relationship = relationship_of(session, principal, 0)
        allowed = decide(relationship, DataKind.TEAM) is Outcome.ALLOW
        shown = {mid: pk_name for mid, pk_name in found.items() if allowed}
    else:
        downline = below(session, principal.member_pk, [pk for pk, _ in found.values()])
        # the policy asked once per relationship, not once per member named
        self_ok, below_ok, cross_ok = (
            decide(relationship, DataKind.TEAM) is Outcome.ALLOW
            for relationship in (Relationship.SELF, Relationship.UPLINE, Relationship.CROSSLINE)
        )
        viewer = principal.member_pk
        shown = {
            mid: (pk, name)
            for mid, (pk, name) in found.items()
            if (self_ok if pk == viewer else below_ok if pk in downline else cross_ok)
        }
    others = [(pk, record) for pk, _ in shown.values() if pk != principal.member_pk]
    if others:
        log_reads(log_session or session, principal, others, DataKind.TEAM, None)
    return {mid: name for mid, (_, name) in shown.items()}


def owner_member(session: Session, member_id: str) -> Member:
    """The member a URL names, or the standard 404 (never a different answer)."""
    member = member_by_external_id(session, member_id)
    if member is None:
        raise NotFoundError(f"no such member: {member_id}")
    return member

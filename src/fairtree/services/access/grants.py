"""A member shares chosen kinds of their data with a named sign-in: read-only,
until an expiry, revocable at any time (the policy checks grants on every request)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.services.access.authorization import GRANTABLE, DataKind
from fairtree.services.access.sign_in import normalize_login
from fairtree.services.clock import aware, utcnow
from fairtree.store.models import AccessGrant, Member
from fairtree.store.repositories.access import accounts as accounts_repo
from fairtree.store.repositories.access import grants as access_repo

MAX_GRANT_DAYS = 365


@dataclass(frozen=True)
class GrantView:
    id: int
    grantee_login: str
    kinds: list[str]
    read_only: bool
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    active: bool


def _view(grant: AccessGrant, login: str) -> GrantView:
    now = utcnow()
    return GrantView(
        id=grant.id,
        grantee_login=login,
        kinds=grant.kinds.split(","),
        read_only=grant.read_only,
        created_at=aware(grant.created_at),
        expires_at=aware(grant.expires_at),
        revoked_at=aware(grant.revoked_at) if grant.revoked_at else None,
        active=grant.revoked_at is None and aware(grant.expires_at) > now,
    )


def create_grant(
    session: Session, owner: Member, grantee_login: str, kinds: Iterable[str], days: int
) -> GrantView:
    chosen = sorted(set(kinds))
    problems = [
        Problem("request", "kinds", "kinds", f"{kind!r} cannot be shared")
        for kind in chosen
        if kind not in {k.value for k in GRANTABLE}
    ]
    if not chosen:
        problems.append(Problem("request", "kinds", "kinds", "name at least one kind"))
    if not 1 <= days <= MAX_GRANT_DAYS:
        problems.append(Problem("request", "days", "days", f"must be 1..{MAX_GRANT_DAYS}"))
    grantee = accounts_repo.user_by_login(session, normalize_login(grantee_login))
    if grantee is not None and grantee.member_id == owner.id:
        problems.append(Problem("request", "grantee_login", "grantee_login", "is yourself"))
    if problems:
        raise ValidationError(problems)
    if grantee is None or grantee.disabled:
        raise NotFoundError(f"no such sign-in: {grantee_login}")
    now = utcnow()
    grant = AccessGrant(
        owner_member_id=owner.id,
        grantee_user_id=grantee.id,
        kinds=",".join(DataKind(k).value for k in chosen),
        read_only=True,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(grant)
    session.flush()
    return _view(grant, grantee.login)


def grants_of(session: Session, owner: Member) -> list[GrantView]:
    return [_view(g, login) for g, login in access_repo.grants_of_owner(session, owner.id)]


def revoke_grant(session: Session, owner: Member, grant_id: int) -> None:
    grant = access_repo.grant_of_owner(session, owner.id, grant_id)
    if grant is None:
        raise NotFoundError(f"no such grant: {grant_id}")
    if grant.revoked_at is None:
        grant.revoked_at = utcnow()
        session.flush()

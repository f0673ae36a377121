"""Creating sign-ins for members and company staff (used by the CLI)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, NotFoundError, Problem, ValidationError
from fairtree.services.access.audit import record_action
from fairtree.services.access.credentials import hash_password
from fairtree.services.access.sign_in import normalize_login
from fairtree.services.clock import utcnow
from fairtree.store.models import User
from fairtree.store.models.accounts import STAFF_ROLES
from fairtree.store.repositories.access import accounts as accounts_repo
from fairtree.store.repositories.network.members import member_by_external_id


def create_member_user(
    session: Session, member_id: str, password: str, email: str | None = None
) -> User:
    """A sign-in for a member; the login is the member id (the email, when given, too)."""
    member = member_by_external_id(session, member_id)
    if member is None:
        raise NotFoundError(f"no member {member_id!r}")
    if accounts_repo.user_of_member(session, member.id) is not None:
        raise ConflictError(f"member {member_id} already has a sign-in")
    return _add(session, normalize_login(member_id), "member", password, email, member.id)


def create_staff_user(session: Session, email: str, role: str, password: str) -> User:
    if role not in STAFF_ROLES:
        problem = Problem("request", "", "role", f"must be one of {', '.join(STAFF_ROLES)}")
        raise ValidationError([problem])
    if "@" not in email:
        raise ValidationError([Problem("request", "", "email", "is not an email address")])
    user = _add(session, normalize_login(email), role, password, email.strip(), None)
    record_action(
        session,
        None,
        action="staff_created",
        subject_kind="user",
        subject_id=user.login,
        reason="staff sign-in created with fairtree users create",
        after={"login": user.login, "role": role},
    )
    return user


def _add(
    session: Session, login: str, role: str, password: str, email: str | None, member_pk: int | None
) -> User:
    if accounts_repo.user_by_login(session, login) is not None:
        raise ConflictError(f"login {login!r} is taken")
    user = User(
        login=login,
        email=email,
        role=role,
        member_id=member_pk,
        password_hash=hash_password(password),
        disabled=False,
    )
    session.add(user)
    session.flush()
    return user


def revoke_access(session: Session, login: str, reason: str) -> None:
    """End every session and API token of a sign-in (the local operator acts); audited."""
    if not reason.strip():
        raise ValidationError([Problem("request", "", "reason", "state why access is revoked")])
    user = accounts_repo.user_by_login(session, normalize_login(login))
    if user is None:
        raise NotFoundError(f"no sign-in {login!r}")
    accounts_repo.revoke_everything(session, user.id, utcnow())
    record_action(
        session,
        None,
        action="access_revoked",
        subject_kind="user",
        subject_id=user.login,
        reason=reason,
    )

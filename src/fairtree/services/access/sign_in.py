"""Signing in and out: password check, rate limit, sessions (cookie) and API tokens.

Every credential is an opaque random token whose SHA-256 digest is stored; a request
proves who it is by presenting the token, ``principal_for_*`` turns it back into a
Principal or None (unknown, expired, revoked, or the user disabled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fairtree.config import Settings
from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.services.access import rate_limit
from fairtree.services.access.credentials import (
    hash_password,
    new_token,
    same_secret,
    token_digest,
    verify_password,
)
from fairtree.services.access.mail import MailBackend
from fairtree.services.access.principal import Principal
from fairtree.services.clock import aware, utcnow
from fairtree.store.models import ApiToken, AuthSession, User
from fairtree.store.repositories.access import accounts as accounts_repo
from fairtree.store.repositories.network import members as members_repo

SESSION_PREFIX = "fts"
API_TOKEN_PREFIX = "ftk"  # noqa: S105 - a prefix, not a secret
CSRF_PREFIX = "ftc"


class TooManyAttemptsError(Exception):
    """Sign-in refused by the throttle for ``retry_after`` seconds; the caller answers 429
    with a Retry-After header."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    expires_at: datetime
    user: User


@dataclass(frozen=True)
class NewApiToken:
    token: str
    record: ApiToken


def normalize_login(login: str) -> str:
    return login.strip().lower()


def check_credentials(
    session: Session,
    settings: Settings,
    login: str,
    password: str,
    address: str,
    mail: MailBackend | None = None,
) -> User | None:
    """The user when login and password match; None otherwise. Every attempt is recorded.

    Raises TooManyAttemptsError while this address must wait for this account
    (``rate_limit``); with ``mail``, the owner is told when failures pile up.
    """
    login = normalize_login(login)
    # Nothing read or written yet in this transaction (a sign-in request): the reads
    # below are all it holds, so its connection can go back to the pool while the
    # password is hashed (tens of milliseconds of CPU), and sign-ins never starve it.
    only_reads = not session.in_transaction()
    wait = rate_limit.wait_seconds(session, settings, login, address)
    if wait > 0:
        raise TooManyAttemptsError(wait)
    user = accounts_repo.user_by_login(session, login)
    stored = user.password_hash if user else None
    enabled = user is not None and not user.disabled
    if only_reads:
        session.rollback()  # ends the read-only transaction: the connection is released
    ok = verify_password(stored, password) and enabled

    def tell_owner(failures: int) -> None:
        if mail is not None and user is not None and user.email:
            mail.send(
                user.email,
                "Failed sign-ins to your fairtree account",
                f"There were {failures} failed attempts to sign in to your fairtree account "
                f"({user.login}) in the last {settings.login_window_seconds // 60} minutes, "
                f"the latest from {address}.\n\n"
                "Your account is not locked: where you signed in before, you can sign in as "
                "usual. Other addresses now wait a little longer after each failure.\n"
                "If this was not you, consider changing your password.\n",
            )

    rate_limit.record_attempt(session, settings, login, address, ok, tell_owner)
    return user if ok else None


def open_session(session: Session, settings: Settings, user: User) -> NewSession:
    now = utcnow()
    token, csrf = new_token(SESSION_PREFIX), new_token(CSRF_PREFIX)
    expires = now + timedelta(hours=settings.session_hours)
    session.add(
        AuthSession(
            user_id=user.id,
            token_hash=token_digest(token),
            csrf_hash=token_digest(csrf),
            created_at=now,
            expires_at=expires,
        )
    )
    session.flush()
    return NewSession(token, csrf, expires, user)


def issue_api_token(
    session: Session, settings: Settings, user: User, name: str, days: int | None = None
) -> NewApiToken:
    now = utcnow()
    token = new_token(API_TOKEN_PREFIX)
    record = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_digest(token),
        created_at=now,
        expires_at=now + timedelta(days=days or settings.api_token_days),
    )
    session.add(record)
    session.flush()
    return NewApiToken(token, record)


def _principal(session: Session, user_id: int, via: str, credential_id: int) -> Principal | None:
    user = accounts_repo.user_by_id(session, user_id)
    if user is None or user.disabled:
        return None
    member_id = member_id_of(session, user)
    return Principal(
        user_id=user.id,
        login=user.login,
        role=user.role,
        member_pk=user.member_id,
        member_id=member_id,
        via=via,
        credential_id=credential_id,
    )


def principal_for_session(session: Session, token: str) -> tuple[Principal, str] | None:
    """(principal, CSRF digest) for a live session cookie, else None."""
    row = accounts_repo.session_by_digest(session, token_digest(token))
    if row is None or row.revoked_at is not None or aware(row.expires_at) <= utcnow():
        return None
    principal = _principal(session, row.user_id, "session", row.id)
    return (principal, row.csrf_hash) if principal else None


def principal_for_api_token(session: Session, token: str) -> Principal | None:
    row = accounts_repo.api_token_by_digest(session, token_digest(token))
    if row is None or row.revoked_at is not None or aware(row.expires_at) <= utcnow():
        return None
    return _principal(session, row.user_id, "token", row.id)


def csrf_matches(csrf_digest: str, presented: str | None) -> bool:
    return bool(presented) and same_secret(csrf_digest, token_digest(presented or ""))


def sign_out(session: Session, principal: Principal) -> None:
    """Revoke the credential this request used."""
    row = accounts_repo.credential(session, principal.via, principal.credential_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


def sign_out_everywhere(session: Session, principal: Principal) -> None:
    """Revoke every session and API token of the principal's sign-in."""
    accounts_repo.revoke_everything(session, principal.user_id, utcnow())


def revoke_api_token(session: Session, principal: Principal, token_id: int) -> None:
    row = accounts_repo.api_token_of(session, principal.user_id, token_id)
    if row is None:
        raise NotFoundError(f"no such token: {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


def change_password(session: Session, principal: Principal, current: str, new: str) -> None:
    """Set a new password and revoke every session and token (this one included)."""
    user = accounts_repo.user_by_id(session, principal.user_id)
    if user is None or not verify_password(user.password_hash, current):
        raise ValidationError([Problem("request", "", "current_password", "does not match")])
    set_password(session, user, new)


def set_password(session: Session, user: User, new: str) -> None:
    now = utcnow()
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    accounts_repo.revoke_everything(session, user.id, now)
    session.flush()


def own_api_tokens(session: Session, principal: Principal) -> list[ApiToken]:
    """The signed-in user's API tokens, revoked ones included."""
    return accounts_repo.api_tokens_of(session, principal.user_id)


def issue_own_api_token(
    session: Session, settings: Settings, principal: Principal, name: str
) -> NewApiToken:
    """A new API token for the signed-in user; the secret is shown once, never stored."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise ValidationError([Problem("request", "", "name", "name the token (1-100 characters)")])
    user = accounts_repo.user_by_id(session, principal.user_id)
    if user is None:
        raise NotFoundError("no such user")
    return issue_api_token(session, settings, user, name)


def member_id_of(session: Session, user: User) -> str | None:
    """The external member id of a member's sign-in (None for staff)."""
    return members_repo.external_id(session, user.member_id) if user.member_id else None

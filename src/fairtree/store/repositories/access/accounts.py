"""Queries for sign-ins: users, sessions, API tokens, reset tokens, login attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from fairtree.store.models import (
    ApiToken,
    AuthSession,
    LoginAttempt,
    PasswordResetToken,
    User,
)


def user_by_login(session: Session, login: str) -> User | None:
    return session.scalars(select(User).where(User.login == login)).one_or_none()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_of_member(session: Session, member_pk: int) -> User | None:
    return session.scalars(select(User).where(User.member_id == member_pk)).one_or_none()


def session_by_digest(session: Session, digest: str) -> AuthSession | None:
    return session.scalars(
        select(AuthSession).where(AuthSession.token_hash == digest)
    ).one_or_none()


def api_token_by_digest(session: Session, digest: str) -> ApiToken | None:
    return session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).one_or_none()


def api_tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id))
    )


def api_token_of(session: Session, user_id: int, token_id: int) -> ApiToken | None:
    return session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    ).one_or_none()


def revoke_everything(session: Session, user_id: int, now: datetime) -> None:
    """Revoke every live session and API token of a user (password changed or reset)."""
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )


def revoke_sessions(session: Session, user_id: int, now: datetime) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def reset_token_by_digest(session: Session, digest: str) -> PasswordResetToken | None:
    return session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == digest)
    ).one_or_none()


def consume_reset_token(session: Session, token_id: int, now: datetime) -> bool:
    """Mark a reset token used; False when it was already used (a racing second use)."""
    result = session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == token_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def recent_failures(
    session: Session, key_kind: str, key: str, since: datetime
) -> tuple[int, datetime | None]:
    """(count, latest time) of failed attempts for one key since ``since``, counting only
    those after the key's last success."""
    last_success = (
        select(func.max(LoginAttempt.attempted_at))
        .where(
            LoginAttempt.key_kind == key_kind,
            LoginAttempt.key == key,
            LoginAttempt.succeeded.is_(True),
        )
        .scalar_subquery()
    )
    query = select(func.count(), func.max(LoginAttempt.attempted_at)).where(
        LoginAttempt.key_kind == key_kind,
        LoginAttempt.key == key,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.attempted_at >= since,
        LoginAttempt.attempted_at > func.coalesce(last_success, since),
    )
    count, latest = session.execute(query).one()
    return int(count or 0), latest


def succeeded_since(session: Session, key_kind: str, key: str, since: datetime) -> bool:
    query = select(LoginAttempt.id).where(
        LoginAttempt.key_kind == key_kind,
        LoginAttempt.key == key,
        LoginAttempt.succeeded.is_(True),
        LoginAttempt.attempted_at >= since,
    )
    return session.scalar(query.limit(1)) is not None


def add_attempts(session: Session, keys: list[tuple[str, str]], ok: bool, now: datetime) -> None:
    session.add_all(
        LoginAttempt(key_kind=kind, key=key, succeeded=ok, attempted_at=now) for kind, key in keys
    )
    session.flush()


def prune_attempts(
    session: Session,
    keys: list[tuple[str, str]],
    before: datetime,
    keep_successes_of: str | None = None,
) -> None:
    """Forget these keys' attempts older than ``before`` (outside every rate-limit window),
    except the successes of ``keep_successes_of`` keys (pruned by ``prune_successes``)."""
    condition = LoginAttempt.attempted_at < before
    if keep_successes_of is not None:
        condition = condition & ~(
            (LoginAttempt.key_kind == keep_successes_of) & LoginAttempt.succeeded.is_(True)
        )
    session.execute(
        delete(LoginAttempt).where(
            or_(
                *((LoginAttempt.key_kind == kind) & (LoginAttempt.key == key) for kind, key in keys)
            ),
            condition,
        )
    )


def prune_successes(session: Session, key_kind: str, key: str, before: datetime) -> None:
    session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.key_kind == key_kind,
            LoginAttempt.key == key,
            LoginAttempt.attempted_at < before,
        )
    )


def reset_tokens_since(session: Session, user_id: int, since: datetime) -> int:
    """How many reset tokens were issued to a user since ``since``."""
    query = select(func.count()).where(
        PasswordResetToken.user_id == user_id, PasswordResetToken.created_at >= since
    )
    return int(session.scalar(query) or 0)


def credential(session: Session, via: str, credential_id: int) -> AuthSession | ApiToken | None:
    """The cookie session (``via`` "session") or API token a request signed in with."""
    if via == "session":
        return session.get(AuthSession, credential_id)
    return session.get(ApiToken, credential_id)

"""Sign-ins: users (members and company staff), sessions, API tokens, password resets
and login attempts.

Secrets never reach the database in the clear: passwords are argon2 hashes, session,
API and reset tokens are stored as their SHA-256 digest, so a copy of the database
cannot be used to sign in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base

USER_ROLES = ("member", "owner", "admin", "support")
STAFF_ROLES = ("owner", "admin", "support")


class User(Base):
    """A sign-in: a member (``member_id`` set) or company staff (``role`` owner/admin/support)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('member', 'owner', 'admin', 'support')", name="role"),
        CheckConstraint("(role = 'member') = (member_id IS NOT NULL)", name="member_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(254), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(8))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuthSession(Base):
    """A browser session (cookie); ``csrf_hash`` is the digest of its CSRF token."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """An opaque bearer token for the API, named by its holder."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordResetToken(Base):
    """A one-time, expiring password reset token sent by mail."""

    __tablename__ = "password_reset_tokens"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """One sign-in attempt, kept per account and per client address for rate limiting."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        CheckConstraint("key_kind IN ('account', 'address', 'pair')", name="key_kind"),
        Index(None, "key_kind", "key", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key_kind: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(254))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

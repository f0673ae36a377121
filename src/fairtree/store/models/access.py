"""Who may read a member's data, who did, and what staff changed.

- ``access_grants``: a member lets a named sign-in read chosen kinds of their data,
  read-only, until an expiry, revocable at any time.
- ``access_log``: every read of another member's data (reader, owner, kind, record,
  reason, time); the owner can list it.
- The audit log (``store/models/audit.py``) records admin actions and staff reads of
  private data; on PostgreSQL a trigger refuses UPDATE/DELETE on it (0002_accounts).
- ``idempotency_keys``: a creating request replayed with the same Idempotency-Key gets
  the first answer back; the unique index makes a concurrent duplicate fail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base


class AccessGrant(Base):
    """Owner lets ``grantee_user_id`` read the data kinds in ``kinds`` (comma separated)."""

    __tablename__ = "access_grants"
    __table_args__ = (Index(None, "owner_member_id"), Index(None, "grantee_user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    grantee_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kinds: Mapped[str] = mapped_column(String(200))
    read_only: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccessLogEntry(Base):
    """One read of a member's data by someone else."""

    __tablename__ = "access_log"
    __table_args__ = (Index(None, "owner_member_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reader_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    data_kind: Mapped[str] = mapped_column(String(32))
    record: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IdempotencyRecord(Base):
    """The first answer to a creating request, keyed by (user, Idempotency-Key)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

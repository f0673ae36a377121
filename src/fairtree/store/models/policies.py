"""The company's policies and procedures, versioned, and members' acknowledgements.

A version's Markdown text holds clauses, each marked ``{obligation}`` or
``{suggestion}``; the version in force on a day is the latest ``effective_from`` on or
before it. Versions are never edited: a change is a new version.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base


class PolicyVersion(Base):
    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    effective_from: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PolicyAcknowledgement(Base):
    """A member read and acknowledged one version, at a time."""

    __tablename__ = "policy_acknowledgements"
    __table_args__ = (UniqueConstraint("member_id", "policy_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

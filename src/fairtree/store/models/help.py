"""Help on request: mentoring offers, help requests and their messages.

Help flows the way the member asks for it: the asker chooses whom to ask (their sponsor,
an upline member, a member who offers mentoring, or the company), and only the asker
and the one asked take part. ``first_answered_at`` is the moment the helper first
replied, so response times can be measured.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base

HELPER_KINDS = ("sponsor", "upline", "mentor", "company")
HELP_STATES = ("open", "answered", "closed", "withdrawn")


class MentoringOffer(Base):
    """A member offers to help anyone who asks, on the listed topics; withdrawable."""

    __tablename__ = "mentoring_offers"
    __table_args__ = (
        Index(
            "uq_mentoring_offers_live",
            "member_id",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    topics: Mapped[str] = mapped_column(Text)  # comma separated
    offered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HelpRequest(Base):
    """A question from a member to one helper (a member, or the company's support)."""

    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint(
            "helper_kind IN ('sponsor', 'upline', 'mentor', 'company')", name="helper_kind"
        ),
        CheckConstraint("state IN ('open', 'answered', 'closed', 'withdrawn')", name="state"),
        CheckConstraint(
            "(helper_kind = 'company') = (helper_member_id IS NULL)", name="helper_named"
        ),
        CheckConstraint(
            "helper_member_id IS NULL OR helper_member_id <> asker_member_id", name="not_self"
        ),
        Index(None, "asker_member_id"),
        Index(None, "helper_member_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asker_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    helper_kind: Mapped[str] = mapped_column(String(8))
    helper_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    subject: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HelpMessage(Base):
    """One message in a help request, by the asker or the helper."""

    __tablename__ = "help_messages"
    __table_args__ = (Index(None, "request_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id"))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_asker: Mapped[bool] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

"""Members and the dated history of where each stood in the two trees.

``members`` holds the current state (sponsor, placement parent and slot, status);
``genealogy_history`` holds every state a member's position and status have had, as rows
valid on [valid_from, valid_to). A move, termination or account closing closes the
current row and opens a new one, so the tree as it stood on any past date, and every
member's status on that date, can be rebuilt; rows are never rewritten.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fairtree.store.base import Base

MEMBER_STATUSES = ("active", "inactive", "terminated", "closed")


class Member(Base):
    """A member of the network, known outside by ``member_id`` (text)."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("placement_parent_id", "placement_position"),
        CheckConstraint("status IN ('active', 'inactive', 'terminated', 'closed')", name="status"),
        CheckConstraint("status_since >= joined_on", name="status_since_after_joined"),
        CheckConstraint(
            "(placement_parent_id IS NULL) = (placement_position IS NULL)",
            name="placement_slot_complete",
        ),
        CheckConstraint("sponsor_id <> id", name="not_own_sponsor"),
        Index(None, "sponsor_id"),
        # Member search ("contains", case-insensitive) by trigrams on PostgreSQL only
        # (migration 0014); SQLite scans.
        Index(
            "ix_members_member_id_trgm",
            text("lower(member_id) gin_trgm_ops"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_members_display_name_trgm",
            text("lower(display_name) gin_trgm_ops"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
        # An id typed in any case, found by key (migration 0016); PostgreSQL only.
        Index("ix_members_member_id_lower", text("lower(member_id)")).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64), unique=True)
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    placement_parent_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    placement_position: Mapped[str | None] = mapped_column(String(4))
    joined_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="active")
    status_since: Mapped[date] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    display_name: Mapped[str] = mapped_column(Text)
    identity_verified: Mapped[bool] = mapped_column(Boolean, default=False)

    sponsor: Mapped[Member | None] = relationship(
        remote_side=[id], foreign_keys=[sponsor_id], lazy="raise"
    )
    placement_parent: Mapped[Member | None] = relationship(
        remote_side=[id], foreign_keys=[placement_parent_id], lazy="raise"
    )
    history: Mapped[list[GenealogyRecord]] = relationship(
        back_populates="member",
        foreign_keys="GenealogyRecord.member_id",
        order_by="GenealogyRecord.valid_from",
        lazy="raise",
    )


class GenealogyRecord(Base):
    """One span of a member's position and status: valid on [from, to)."""

    __tablename__ = "genealogy_history"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'inactive', 'terminated', 'closed')", name="status"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_span"),
        CheckConstraint(
            "(placement_parent_id IS NULL) = (placement_position IS NULL)",
            name="placement_slot_complete",
        ),
        Index(None, "member_id", "valid_from"),
        # A statement walks one member's downline as of a day (bulk.downline_facts).
        Index(None, "sponsor_id"),
        Index(None, "placement_parent_id"),
        # At most one open (current) row per member.
        Index(
            "uq_genealogy_history_current",
            "member_id",
            unique=True,
            sqlite_where=text("valid_to IS NULL"),
            postgresql_where=text("valid_to IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    placement_parent_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    placement_position: Mapped[str | None] = mapped_column(String(4))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))  # the member's status on these days
    reason: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))

    member: Mapped[Member] = relationship(
        back_populates="history", foreign_keys=[member_id], lazy="raise"
    )

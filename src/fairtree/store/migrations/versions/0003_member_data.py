"""Member-owned data: notes, goals, mentoring offers, help requests and messages,
versioned company policies and members' acknowledgements.

Revision ID: 0003_member_data
Revises: 0002_accounts
Create Date: 2026-11-22 20:03:23.863162
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_member_data"
down_revision: str | None = "0002_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(length=24), nullable=False),
        sa.Column("target", sa.BigInteger(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "metric IN ('personal_volume', 'retail_customers', 'retail_sales')",
            name=op.f("ck_goals_metric"),
        ),
        sa.CheckConstraint("due_on >= starts_on", name=op.f("ck_goals_due_after_start")),
        sa.CheckConstraint("target > 0", name=op.f("ck_goals_target_positive")),
        sa.ForeignKeyConstraint(
            ["owner_member_id"], ["members.id"], name=op.f("fk_goals_owner_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goals_owner_member_id"), ["owner_member_id"], unique=False
        )

    op.create_table(
        "help_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asker_member_id", sa.Integer(), nullable=False),
        sa.Column("helper_kind", sa.String(length=8), nullable=False),
        sa.Column("helper_member_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(helper_kind = 'company') = (helper_member_id IS NULL)",
            name=op.f("ck_help_requests_helper_named"),
        ),
        sa.CheckConstraint(
            "helper_kind IN ('sponsor', 'upline', 'mentor', 'company')",
            name=op.f("ck_help_requests_helper_kind"),
        ),
        sa.CheckConstraint(
            "state IN ('open', 'answered', 'closed', 'withdrawn')",
            name=op.f("ck_help_requests_state"),
        ),
        sa.CheckConstraint(
            "helper_member_id IS NULL OR helper_member_id <> asker_member_id",
            name=op.f("ck_help_requests_not_self"),
        ),
        sa.ForeignKeyConstraint(
            ["asker_member_id"],
            ["members.id"],
            name=op.f("fk_help_requests_asker_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["helper_member_id"],
            ["members.id"],
            name=op.f("fk_help_requests_helper_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_requests")),
    )
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_help_requests_asker_member_id"), ["asker_member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_help_requests_helper_member_id_created_at"),
            ["helper_member_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "mentoring_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_mentoring_offers_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_offers")),
    )
    with op.batch_alter_table("mentoring_offers", schema=None) as batch_op:
        batch_op.create_index(
            "uq_mentoring_offers_live",
            ["member_id"],
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )

    op.create_table(
        "help_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("from_asker", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"], ["users.id"], name=op.f("fk_help_messages_author_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_requests.id"],
            name=op.f("fk_help_messages_request_id_help_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_messages")),
    )
    with op.batch_alter_table("help_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_help_messages_request_id_id"), ["request_id", "id"], unique=False
        )

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("about_customer_id", sa.Integer(), nullable=True),
        sa.Column("about_contact_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "about_customer_id IS NULL OR about_contact_id IS NULL",
            name=op.f("ck_notes_about_one_record"),
        ),
        sa.ForeignKeyConstraint(
            ["about_contact_id"],
            ["contacts.id"],
            name=op.f("fk_notes_about_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["about_customer_id"],
            ["customers.id"],
            name=op.f("fk_notes_about_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"], ["members.id"], name=op.f("fk_notes_owner_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notes_owner_member_id"), ["owner_member_id"], unique=False
        )

    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_user_id"],
            ["users.id"],
            name=op.f("fk_policy_versions_published_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint("version", name=op.f("uq_policy_versions_version")),
    )
    op.create_table(
        "policy_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("policy_version_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_policy_acknowledgements_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["policy_version_id"],
            ["policy_versions.id"],
            name=op.f("fk_policy_acknowledgements_policy_version_id_policy_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_acknowledgements")),
        sa.UniqueConstraint(
            "member_id",
            "policy_version_id",
            name=op.f("uq_policy_acknowledgements_member_id_policy_version_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("policy_acknowledgements")
    op.drop_table("policy_versions")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_owner_member_id"))

    op.drop_table("notes")
    with op.batch_alter_table("help_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_help_messages_request_id_id"))

    op.drop_table("help_messages")
    with op.batch_alter_table("mentoring_offers", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mentoring_offers_live",
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )

    op.drop_table("mentoring_offers")
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_help_requests_helper_member_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_help_requests_asker_member_id"))

    op.drop_table("help_requests")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_owner_member_id"))

    op.drop_table("goals")

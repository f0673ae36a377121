"""Background jobs, run approvals, and the company's finalize-approval setting.

Revision ID: 0010_jobs
Revises: 0009_downline_reads
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_jobs"
down_revision: str | None = "0009_downline_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_role", sa.String(16), nullable=False),
        sa.Column("submit_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stage", sa.String(120), nullable=False),
        sa.Column("done_units", sa.BigInteger(), nullable=False),
        sa.Column("total_units", sa.BigInteger(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_jobs_status")
        ),
        sa.UniqueConstraint(
            "requested_by_user_id",
            "submit_token",
            name=op.f("uq_jobs_requested_by_user_id_submit_token"),
        ),
    )
    op.create_index(op.f("ix_jobs_status_id"), "jobs", ["status", "id"])
    op.create_index(op.f("ix_jobs_kind_id"), "jobs", ["kind", "id"])
    op.create_table(
        "run_approvals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("period_key", sa.String(32), nullable=False),
        sa.Column("approved_by_user_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("run_id", name=op.f("uq_run_approvals_run_id")),
    )
    with op.batch_alter_table("companies") as batch:
        batch.add_column(
            sa.Column(
                "finalize_needs_approval", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.drop_column("finalize_needs_approval")
    op.drop_table("run_approvals")
    op.drop_index(op.f("ix_jobs_kind_id"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_status_id"), table_name="jobs")
    op.drop_table("jobs")

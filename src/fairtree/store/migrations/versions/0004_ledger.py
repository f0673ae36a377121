"""Ledger and period close: commission runs, payout lines, rank history, double-entry
ledger, payout batches and running member volumes.

Revision ID: 0004_ledger
Revises: 0003_member_data
Create Date: 2026-11-22 19:45:28.769386
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_ledger"
down_revision: str | None = "0003_member_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_period_legs",
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("cap", sa.BigInteger(), nullable=False),
        sa.Column("capped_volume", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_period_legs_member_id_members")
        ),
        sa.PrimaryKeyConstraint(
            "period_key", "member_id", "cap", name=op.f("pk_member_period_legs")
        ),
    )
    op.create_table(
        "member_period_volumes",
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("pv", sa.BigInteger(), nullable=False),
        sa.Column("group_volume", sa.BigInteger(), nullable=False),
        sa.Column("active_frontline", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_period_volumes_member_id_members")
        ),
        sa.PrimaryKeyConstraint("period_key", "member_id", name=op.f("pk_member_period_volumes")),
    )
    op.create_table(
        "payout_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("minimum_payout", sa.BigInteger(), nullable=False),
        sa.Column("rates_json", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_payout_batches_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_batches")),
        sa.UniqueConstraint(
            "company_id", "period_key", name=op.f("uq_payout_batches_company_id_period_key")
        ),
    )
    op.create_table(
        "commission_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("plan_version_id", sa.Integer(), nullable=False),
        sa.Column("plan_sha256", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("members_count", sa.Integer(), nullable=False),
        sa.Column("orders_count", sa.Integer(), nullable=False),
        sa.Column("orders_id_sum", sa.BigInteger(), nullable=False),
        sa.Column("orders_through_id", sa.BigInteger(), nullable=False),
        sa.Column("total_bv", sa.BigInteger(), nullable=False),
        sa.Column("total_paid", sa.BigInteger(), nullable=False),
        sa.Column("total_adjustments", sa.BigInteger(), nullable=False),
        sa.Column("lines_digest", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'finalized') = (finalized_at IS NOT NULL)",
            name=op.f("ck_commission_runs_finalized_at_set"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'finalized')", name=op.f("ck_commission_runs_status")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_commission_runs_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["plan_version_id"],
            ["plan_versions.id"],
            name=op.f("fk_commission_runs_plan_version_id_plan_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_runs")),
    )
    with op.batch_alter_table("commission_runs", schema=None) as batch_op:
        batch_op.create_index(
            "uq_commission_runs_draft",
            ["company_id", "period_key"],
            unique=True,
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )
        batch_op.create_index(
            "uq_commission_runs_finalized",
            ["company_id", "period_key"],
            unique=True,
            sqlite_where=sa.text("status = 'finalized'"),
            postgresql_where=sa.text("status = 'finalized'"),
        )

    op.create_table(
        "payout_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("payout_currency", sa.String(length=3), nullable=False),
        sa.Column("payout_amount", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'held', 'carried', 'paid', 'failed')",
            name=op.f("ck_payout_items_status"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["payout_batches.id"],
            name=op.f("fk_payout_items_batch_id_payout_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_payout_items_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_items")),
        sa.UniqueConstraint(
            "batch_id", "member_id", name=op.f("uq_payout_items_batch_id_member_id")
        ),
    )
    with op.batch_alter_table("payout_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payout_items_member_id"), ["member_id"], unique=False)

    op.create_table(
        "payout_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_payout_holds_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_holds")),
    )
    with op.batch_alter_table("payout_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payout_holds_member_id"), ["member_id"], unique=False)

    op.create_table(
        "ledger_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("payout_batch_id", sa.Integer(), nullable=True),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column(
            "posted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_ledger_transactions_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["payout_batch_id"],
            ["payout_batches.id"],
            name=op.f("fk_ledger_transactions_payout_batch_id_payout_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["commission_runs.id"],
            name=op.f("fk_ledger_transactions_run_id_commission_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transactions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_ledger_transactions_idempotency_key")),
    )
    op.create_table(
        "payout_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("bonus_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("explanation_ref", sa.Text(), nullable=False),
        sa.Column("corrects_line_id", sa.Integer(), nullable=True),
        sa.Column("corrects_period_key", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind = 'commission' OR (corrects_period_key IS NOT NULL AND reason IS NOT NULL)",
            name=op.f("ck_payout_lines_adjustment_explained"),
        ),
        sa.CheckConstraint(
            "kind IN ('commission', 'adjustment')", name=op.f("ck_payout_lines_kind")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_line_id"],
            ["payout_lines.id"],
            name=op.f("fk_payout_lines_corrects_line_id_payout_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_payout_lines_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["commission_runs.id"],
            name=op.f("fk_payout_lines_run_id_commission_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_lines")),
    )
    with op.batch_alter_table("payout_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payout_lines_corrects_line_id"), ["corrects_line_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payout_lines_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_payout_lines_run_id_member_id"), ["run_id", "member_id"], unique=False
        )

    op.create_table(
        "rank_history",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("paid_as_rank", sa.SmallInteger(), nullable=False),
        sa.Column("highest_rank", sa.SmallInteger(), nullable=False),
        sa.Column("pv", sa.BigInteger(), nullable=False),
        sa.Column("group_volume", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_rank_history_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["commission_runs.id"],
            name=op.f("fk_rank_history_run_id_commission_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "member_id", name=op.f("pk_rank_history")),
    )
    with op.batch_alter_table("rank_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rank_history_member_id_period_key"),
            ["member_id", "period_key"],
            unique=False,
        )

    op.create_table(
        "run_carry_values",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_run_carry_values_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["commission_runs.id"],
            name=op.f("fk_run_carry_values_run_id_commission_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "key", "member_id", name=op.f("pk_run_carry_values")),
    )
    op.create_table(
        "run_bonus_totals",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("bonus_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("pool", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("breakage", sa.BigInteger(), nullable=False),
        sa.Column("report_only", sa.Boolean(), nullable=False),
        sa.CheckConstraint("paid + breakage = pool", name=op.f("ck_run_bonus_totals_conserved")),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["commission_runs.id"],
            name=op.f("fk_run_bonus_totals_run_id_commission_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "bonus_id", name=op.f("pk_run_bonus_totals")),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("bonus_id", sa.String(length=64), nullable=True),
        sa.Column("payout_line_id", sa.Integer(), nullable=True),
        sa.Column("payout_item_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_ledger_entries_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_ledger_entries_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["payout_item_id"],
            ["payout_items.id"],
            name=op.f("fk_ledger_entries_payout_item_id_payout_items"),
        ),
        sa.ForeignKeyConstraint(
            ["payout_line_id"],
            ["payout_lines.id"],
            name=op.f("fk_ledger_entries_payout_line_id_payout_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_ledger_entries_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_entries_account_member_id"),
            ["account", "member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_ledger_entries_transaction_id"), ["transaction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_entries_account_member_id"))

    op.drop_table("ledger_entries")
    op.drop_table("run_bonus_totals")
    op.drop_table("run_carry_values")
    with op.batch_alter_table("rank_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rank_history_member_id_period_key"))

    op.drop_table("rank_history")
    with op.batch_alter_table("payout_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payout_lines_run_id_member_id"))
        batch_op.drop_index(batch_op.f("ix_payout_lines_member_id"))
        batch_op.drop_index(batch_op.f("ix_payout_lines_corrects_line_id"))

    op.drop_table("payout_lines")
    op.drop_table("ledger_transactions")
    with op.batch_alter_table("payout_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payout_holds_member_id"))

    op.drop_table("payout_holds")
    with op.batch_alter_table("payout_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payout_items_member_id"))

    op.drop_table("payout_items")
    with op.batch_alter_table("commission_runs", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_commission_runs_finalized",
            sqlite_where=sa.text("status = 'finalized'"),
            postgresql_where=sa.text("status = 'finalized'"),
        )
        batch_op.drop_index(
            "uq_commission_runs_draft",
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )

    op.drop_table("commission_runs")
    op.drop_table("payout_batches")
    op.drop_table("member_period_volumes")
    op.drop_table("member_period_legs")

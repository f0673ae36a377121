"""Indexes for reading one member's downline and its orders (statements).

A statement is explained from the member's downline as it stood on the period's last
day (``store.repositories.bulk.downline_facts``): a recursive walk down
``genealogy_history`` by sponsor and by placement parent, then the orders credited to
those members in the period. Without these indexes each step of the walk, and the
orders, would be a scan of the whole table.

Revision ID: 0009_downline_reads
Revises: 0008_disclosure_publications
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_downline_reads"
down_revision: str | None = "0008_disclosure_publications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_genealogy_history_sponsor_id", "genealogy_history", ["sponsor_id"])
    op.create_index(
        "ix_genealogy_history_placement_parent_id", "genealogy_history", ["placement_parent_id"]
    )
    op.create_index(
        "ix_orders_credited_member_id_counts_on", "orders", ["credited_member_id", "counts_on"]
    )


def downgrade() -> None:
    op.drop_index("ix_orders_credited_member_id_counts_on", table_name="orders")
    op.drop_index("ix_genealogy_history_placement_parent_id", table_name="genealogy_history")
    op.drop_index("ix_genealogy_history_sponsor_id", table_name="genealogy_history")

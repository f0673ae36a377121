"""Orders indexed by (placed_on, id) instead of placed_on alone.

The close reads a period's orders in ranges of ids, several at once
(``store.repositories.pg_bulk_read``); it finds the ids a period spans with two index
probes per day (the lowest and the highest id placed that day) instead of reading every
order of the period once more. The new index answers every query the old one did.

Revision ID: 0007_orders_by_day
Revises: 0006_run_guards
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_orders_by_day"
down_revision: str | None = "0006_run_guards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_orders_placed_on_id", "orders", ["placed_on", "id"])
    op.drop_index("ix_orders_placed_on", table_name="orders")


def downgrade() -> None:
    op.create_index("ix_orders_placed_on", "orders", ["placed_on"])
    op.drop_index("ix_orders_placed_on_id", table_name="orders")

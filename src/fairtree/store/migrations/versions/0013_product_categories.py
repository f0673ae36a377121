"""Product categories and order kinds: ``products.category`` (a bonus can pay only on
some categories, ``paid_on`` in the plan) and ``orders.order_kind`` (the kind a plan's
qualifying order may ask for, e.g. ``subscription``; NULL for a plain order or a
return, whose ``kind`` says which).

Revision ID: 0013_product_categories
Revises: 0012_login_pairs
Create Date: 2026-12-07 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_product_categories"
down_revision: str | None = "0012_login_pairs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "products", sa.Column("category", sa.String(64), nullable=False, server_default="")
    )
    op.add_column("orders", sa.Column("order_kind", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("order_kind")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("category")

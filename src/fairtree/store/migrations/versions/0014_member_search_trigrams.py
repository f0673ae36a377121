"""Member search by trigrams on PostgreSQL: the console and the API find members whose id
or display name contains the text typed (case-insensitive) with two GIN indexes on
``lower(member_id)`` and ``lower(display_name)`` (extension ``pg_trgm``, trusted since
PostgreSQL 13: a database owner may create it) instead of reading every member. SQLite
keeps scanning.

Revision ID: 0014_member_search_trigrams
Revises: 0013_product_categories
Create Date: 2026-12-07 06:25:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_member_search_trigrams"
down_revision: str | None = "0013_product_categories"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_members_member_id_trgm": "lower(member_id)",
    "ix_members_display_name_trgm": "lower(display_name)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON members USING gin ({expression} gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")

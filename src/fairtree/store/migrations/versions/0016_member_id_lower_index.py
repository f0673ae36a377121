"""Member id looked up case-insensitively by a B-tree on ``lower(member_id)``
(PostgreSQL). A search text equal to an id (``lower(member_id) = ...``) was answered
by the trigram index of 0014, which for a text like ``m0999973`` reads the long posting
lists of trigrams every id shares (``m09``, ``999``): 110 ms at 1,000,000 members, where
the B-tree answers in under a millisecond. SQLite keeps scanning (its downline search
walks the downline and matches as it goes).

Revision ID: 0016_member_id_lower_index
Revises: 0015_keys_checked_per_statement
Create Date: 2026-12-07 08:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_member_id_lower_index"
down_revision: str | None = "0015_keys_checked_per_statement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_members_member_id_lower ON members (lower(member_id))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_members_member_id_lower")

"""Sign-in throttling per account and address: ``login_attempts.key_kind`` may be
``pair`` (the key is a digest of login and address), so failures from one address on one
account slow down that pair only, and an address where the account signed in before is
recognised (services/access/rate_limit.py).

Revision ID: 0012_login_pairs
Revises: 0011_truncate_guards
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_login_pairs"
down_revision: str | None = "0011_truncate_guards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_login_attempts_key_kind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_login_attempts_key_kind"), "key_kind IN ('account', 'address', 'pair')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM login_attempts WHERE key_kind = 'pair'")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_login_attempts_key_kind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_login_attempts_key_kind"), "key_kind IN ('account', 'address')"
        )

"""Published income disclosure statements (the public /disclosure/YEAR page).

Revision ID: 0008_disclosure_publications
Revises: 0007_orders_by_day
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_disclosure_publications"
down_revision: str | None = "0007_orders_by_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "disclosure_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("statement_html", sa.Text(), nullable=False),
        sa.Column("statement_json", sa.Text(), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_disclosure_publications_company_id_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_publications")),
        sa.UniqueConstraint(
            "company_id", "year", name=op.f("uq_disclosure_publications_company_id_year")
        ),
    )


def downgrade() -> None:
    op.drop_table("disclosure_publications")

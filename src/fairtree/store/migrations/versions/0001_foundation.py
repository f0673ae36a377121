"""Foundation: company, network and its dated history, customers, contacts,
catalogue, orders and returns, parties, periods, plan versions.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-22 19:32:24.971670
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_foundation"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        sa.Column("placement", sa.String(length=8), nullable=False),
        sa.Column("matrix_width", sa.Integer(), nullable=True),
        sa.Column("binary_rule", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "(placement = 'binary'"
            " AND binary_rule IN ('outer_left', 'outer_right', 'weaker_leg', 'alternate'))"
            " OR (placement <> 'binary' AND binary_rule IS NULL)",
            name=op.f("ck_companies_binary_rule"),
        ),
        sa.CheckConstraint(
            "(placement = 'matrix' AND matrix_width > 0)"
            " OR (placement <> 'matrix' AND matrix_width IS NULL)",
            name=op.f("ck_companies_matrix_width"),
        ),
        sa.CheckConstraint(
            "period_kind IN ('month', 'week')", name=op.f("ck_companies_period_kind")
        ),
        sa.CheckConstraint(
            "placement IN ('none', 'binary', 'matrix')", name=op.f("ck_companies_placement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("company_id", name=op.f("uq_companies_company_id")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=True),
        sa.Column("placement_parent_id", sa.Integer(), nullable=True),
        sa.Column("placement_position", sa.String(length=4), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("status_since", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("identity_verified", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'inactive', 'terminated', 'closed')",
            name=op.f("ck_members_status"),
        ),
        sa.CheckConstraint(
            "(placement_parent_id IS NULL) = (placement_position IS NULL)",
            name=op.f("ck_members_placement_slot_complete"),
        ),
        sa.CheckConstraint("sponsor_id <> id", name=op.f("ck_members_not_own_sponsor")),
        sa.CheckConstraint(
            "status_since >= joined_on", name=op.f("ck_members_status_since_after_joined")
        ),
        sa.ForeignKeyConstraint(
            ["placement_parent_id"],
            ["members.id"],
            name=op.f("fk_members_placement_parent_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["members.id"], name=op.f("fk_members_sponsor_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("member_id", name=op.f("uq_members_member_id")),
        sa.UniqueConstraint(
            "placement_parent_id",
            "placement_position",
            name=op.f("uq_members_placement_parent_id_placement_position"),
        ),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_sponsor_id"), ["sponsor_id"], unique=False)

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("retail_price", sa.BigInteger(), nullable=False),
        sa.Column("member_price", sa.BigInteger(), nullable=False),
        sa.Column("pv", sa.BigInteger(), nullable=False),
        sa.Column("bv", sa.BigInteger(), nullable=False),
        sa.Column("commissionable", sa.Boolean(), nullable=False),
        sa.CheckConstraint("pv >= 0 AND bv >= 0", name=op.f("ck_products_volumes_not_negative")),
        sa.CheckConstraint(
            "retail_price >= 0 AND member_price >= 0", name=op.f("ck_products_prices_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", "country", name=op.f("uq_products_sku_country")),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("consent", sa.String(length=16), nullable=False),
        sa.Column("relationship_mark", sa.String(length=8), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "consent IN ('opted_in', 'unknown', 'do_not_contact')", name=op.f("ck_contacts_consent")
        ),
        sa.CheckConstraint(
            "relationship_mark IS NULL OR relationship_mark IN ('friend', 'family')",
            name=op.f("ck_contacts_relationship_mark"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"], ["members.id"], name=op.f("fk_contacts_owner_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contacts_owner_member_id"), ["owner_member_id"], unique=False
        )

    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_customers_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("customer_id", name=op.f("uq_customers_customer_id")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_member_id"), ["member_id"], unique=False)

    op.create_table(
        "genealogy_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=True),
        sa.Column("placement_parent_id", sa.Integer(), nullable=True),
        sa.Column("placement_position", sa.String(length=4), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "(placement_parent_id IS NULL) = (placement_position IS NULL)",
            name=op.f("ck_genealogy_history_placement_slot_complete"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_genealogy_history_valid_span"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_genealogy_history_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["placement_parent_id"],
            ["members.id"],
            name=op.f("fk_genealogy_history_placement_parent_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["members.id"], name=op.f("fk_genealogy_history_sponsor_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_genealogy_history")),
    )
    with op.batch_alter_table("genealogy_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_genealogy_history_member_id_valid_from"),
            ["member_id", "valid_from"],
            unique=False,
        )
        batch_op.create_index(
            "uq_genealogy_history_current",
            ["member_id"],
            unique=True,
            sqlite_where=sa.text("valid_to IS NULL"),
            postgresql_where=sa.text("valid_to IS NULL"),
        )

    op.create_table(
        "periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.CheckConstraint("kind IN ('month', 'week', 'custom')", name=op.f("ck_periods_kind")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_periods_status")),
        sa.CheckConstraint("ends_on > starts_on", name=op.f("ck_periods_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_periods_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periods")),
        sa.UniqueConstraint("company_id", "key", name=op.f("uq_periods_company_id_key")),
    )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_plan_versions_sha256_length")),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_plan_versions_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint(
            "company_id", "version", name=op.f("uq_plan_versions_company_id_version")
        ),
    )
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("consultant_member_id", sa.Integer(), nullable=False),
        sa.Column("host_customer_id", sa.Integer(), nullable=True),
        sa.Column("host_member_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "host_customer_id IS NULL OR host_member_id IS NULL",
            name=op.f("ck_parties_at_most_one_host"),
        ),
        sa.ForeignKeyConstraint(
            ["consultant_member_id"],
            ["members.id"],
            name=op.f("fk_parties_consultant_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["host_customer_id"],
            ["customers.id"],
            name=op.f("fk_parties_host_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["host_member_id"], ["members.id"], name=op.f("fk_parties_host_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
        sa.UniqueConstraint("party_id", name=op.f("uq_parties_party_id")),
    )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parties_consultant_member_id"), ["consultant_member_id"], unique=False
        )

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("placed_on", sa.Date(), nullable=False),
        sa.Column("buyer_member_id", sa.Integer(), nullable=True),
        sa.Column("buyer_customer_id", sa.Integer(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("returns_order_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(kind = 'order' AND returns_order_id IS NULL)"
            " OR (kind = 'return' AND returns_order_id IS NOT NULL)",
            name=op.f("ck_orders_return_points_at_order"),
        ),
        sa.CheckConstraint(
            "(buyer_member_id IS NULL) <> (buyer_customer_id IS NULL)",
            name=op.f("ck_orders_exactly_one_buyer"),
        ),
        sa.ForeignKeyConstraint(
            ["buyer_customer_id"],
            ["customers.id"],
            name=op.f("fk_orders_buyer_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["buyer_member_id"], ["members.id"], name=op.f("fk_orders_buyer_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_orders_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["returns_order_id"], ["orders.id"], name=op.f("fk_orders_returns_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("order_id", name=op.f("uq_orders_order_id")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_orders_buyer_customer_id"),
            ["buyer_customer_id"],
            unique=False,
            sqlite_where=sa.text("buyer_customer_id IS NOT NULL"),
            postgresql_where=sa.text("buyer_customer_id IS NOT NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_orders_buyer_member_id_placed_on"),
            ["buyer_member_id", "placed_on"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_orders_placed_on"), ["placed_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_orders_returns_order_id"),
            ["returns_order_id"],
            unique=False,
            sqlite_where=sa.text("returns_order_id IS NOT NULL"),
            postgresql_where=sa.text("returns_order_id IS NOT NULL"),
        )

    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("pv", sa.BigInteger(), nullable=False),
        sa.Column("bv", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("line_no > 0", name=op.f("ck_order_lines_line_no_positive")),
        sa.CheckConstraint("pv >= 0 AND bv >= 0", name=op.f("ck_order_lines_volumes_not_negative")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_order_lines_quantity_positive")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_order_lines_unit_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_lines_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_order_lines_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
        sa.UniqueConstraint("order_id", "line_no", name=op.f("uq_order_lines_order_id_line_no")),
    )


def downgrade() -> None:
    op.drop_table("order_lines")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_returns_order_id"))
        batch_op.drop_index(batch_op.f("ix_orders_placed_on"))
        batch_op.drop_index(batch_op.f("ix_orders_buyer_member_id_placed_on"))
        batch_op.drop_index(batch_op.f("ix_orders_buyer_customer_id"))

    op.drop_table("orders")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parties_consultant_member_id"))

    op.drop_table("parties")
    op.drop_table("plan_versions")
    op.drop_table("periods")
    with op.batch_alter_table("genealogy_history", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_genealogy_history_current",
            sqlite_where=sa.text("valid_to IS NULL"),
            postgresql_where=sa.text("valid_to IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_genealogy_history_member_id_valid_from"))

    op.drop_table("genealogy_history")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_member_id"))

    op.drop_table("customers")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_owner_member_id"))

    op.drop_table("contacts")
    op.drop_table("products")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_sponsor_id"))

    op.drop_table("members")
    op.drop_table("companies")

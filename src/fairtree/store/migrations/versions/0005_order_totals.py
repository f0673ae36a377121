"""Order totals: each order carries the figures the engine reads (credited member, the
date that decides its period, signed PV, BV, sales, other sales, retail margin), derived
from its lines once, so a period close reads one row per order and no lines.

Existing orders are backfilled from their lines with the same arithmetic as
``engine.order_rollup.order_totals``.

Revision ID: 0005_order_totals
Revises: 0004_ledger
Create Date: 2026-11-22 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_order_totals"
down_revision: str | None = "0004_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOTALS = ("total_pv", "total_bv", "total_sales", "total_other_sales", "total_retail_margin")

_SIGN = "(CASE WHEN o.kind = 'return' THEN -1 ELSE 1 END)"
_LINE_SUM = (
    "COALESCE((SELECT SUM({expr}) FROM order_lines l JOIN products p ON p.id = l.product_id"
    " WHERE l.order_id = o.id), 0)"
)
_EXPRESSIONS = {
    "total_pv": "CASE WHEN p.commissionable THEN l.quantity * l.pv ELSE 0 END",
    "total_bv": "CASE WHEN p.commissionable THEN l.quantity * l.bv ELSE 0 END",
    "total_sales": "CASE WHEN p.commissionable THEN l.quantity * l.unit_price ELSE 0 END",
    "total_other_sales": "CASE WHEN p.commissionable THEN 0 ELSE l.quantity * l.unit_price END",
    "total_retail_margin": "l.quantity * (p.retail_price - p.member_price)",
}
_BACKFILL = f"""
UPDATE orders AS o SET
  credited_member_id = COALESCE(o.buyer_member_id,
      (SELECT c.member_id FROM customers c WHERE c.id = o.buyer_customer_id)),
  counts_on = COALESCE(
      (SELECT r.placed_on FROM orders r WHERE r.id = o.returns_order_id), o.placed_on),
  total_pv = {_SIGN} * {_LINE_SUM.format(expr=_EXPRESSIONS["total_pv"])},
  total_bv = {_SIGN} * {_LINE_SUM.format(expr=_EXPRESSIONS["total_bv"])},
  total_sales = {_SIGN} * {_LINE_SUM.format(expr=_EXPRESSIONS["total_sales"])},
  total_other_sales = {_SIGN} * {_LINE_SUM.format(expr=_EXPRESSIONS["total_other_sales"])},
  total_retail_margin = CASE WHEN o.buyer_customer_id IS NULL THEN 0
      ELSE {_SIGN} * {_LINE_SUM.format(expr=_EXPRESSIONS["total_retail_margin"])} END
"""  # noqa: S608 - constant text


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credited_member_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("counts_on", sa.Date(), nullable=True))
        for name in TOTALS:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=True))
    op.execute(_BACKFILL)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("credited_member_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("counts_on", existing_type=sa.Date(), nullable=False)
        for name in TOTALS:
            batch_op.alter_column(name, existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_orders_credited_member_id_members"),
            "members",
            ["credited_member_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_orders_counts_on"),
            ["counts_on"],
            unique=False,
            sqlite_where=sa.text("kind = 'return'"),
            postgresql_where=sa.text("kind = 'return'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_orders_counts_on"),
            sqlite_where=sa.text("kind = 'return'"),
            postgresql_where=sa.text("kind = 'return'"),
        )
        batch_op.drop_constraint(
            batch_op.f("fk_orders_credited_member_id_members"), type_="foreignkey"
        )
        for name in reversed(TOTALS):
            batch_op.drop_column(name)
        batch_op.drop_column("counts_on")
        batch_op.drop_column("credited_member_id")

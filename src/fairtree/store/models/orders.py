"""Orders, their lines, and parties. Orders are facts: a return is a new order of kind
``return`` that points at the order it reverses; nothing is edited afterwards.

Each order also carries its totals as the engine reads them
(``engine.order_rollup.order_totals``), derived from its lines once, when it is recorded:
a period close then reads one row per order and no lines.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fairtree.store.base import Base
from fairtree.store.models.catalog import Product
from fairtree.store.models.customers import Customer
from fairtree.store.models.members import Member


class Party(Base):
    """A party of a party plan, run by a consultant, hosted by a customer or a member."""

    __tablename__ = "parties"
    __table_args__ = (
        CheckConstraint(
            "host_customer_id IS NULL OR host_member_id IS NULL", name="at_most_one_host"
        ),
        Index(None, "consultant_member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[str] = mapped_column(String(64), unique=True)
    consultant_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    host_customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    host_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    held_on: Mapped[date] = mapped_column(Date)

    consultant: Mapped[Member] = relationship(foreign_keys=[consultant_member_id], lazy="raise")


class Order(Base):
    """An order or a return, bought by exactly one member or one retail customer."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "(buyer_member_id IS NULL) <> (buyer_customer_id IS NULL)", name="exactly_one_buyer"
        ),
        CheckConstraint(
            "(kind = 'order' AND returns_order_id IS NULL)"
            " OR (kind = 'return' AND returns_order_id IS NOT NULL)",
            name="return_points_at_order",
        ),
        # A member's orders by date; the other columns cover the compliance monitors'
        # own-purchase sums per member, read from the index alone (migration 0017).
        Index(
            "ix_orders_buyer_member_id_purchases",
            "buyer_member_id",
            "placed_on",
            "counts_on",
            "currency",
            "total_sales",
            "total_other_sales",
            "total_pv",
        ),
        Index(None, "placed_on", "id"),  # a period's id span: two probes a day
        Index(None, "credited_member_id", "counts_on"),  # a downline's orders (statements)
        # Few orders are bought by customers or are returns: index only those.
        Index(
            None,
            "buyer_customer_id",
            sqlite_where=text("buyer_customer_id IS NOT NULL"),
            postgresql_where=text("buyer_customer_id IS NOT NULL"),
        ),
        Index(
            None,
            "returns_order_id",
            sqlite_where=text("returns_order_id IS NOT NULL"),
            postgresql_where=text("returns_order_id IS NOT NULL"),
        ),
        # A return counts in its order's period: the close finds returns by counts_on.
        Index(
            None,
            "counts_on",
            sqlite_where=text("kind = 'return'"),
            postgresql_where=text("kind = 'return'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    # the order's kind when not a plain order (e.g. "subscription", for a plan's
    # qualifying_order); NULL for a plain order and for a return
    order_kind: Mapped[str | None] = mapped_column(String(32))
    placed_on: Mapped[date] = mapped_column(Date)
    buyer_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    buyer_customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    returns_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    # Derived from the lines when the order is recorded (order_rollup.order_totals), never edited.
    credited_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    counts_on: Mapped[date] = mapped_column(Date)  # a return: the date of its order
    total_pv: Mapped[int] = mapped_column(BigInteger)  # signed, commissionable lines
    total_bv: Mapped[int] = mapped_column(BigInteger)
    total_sales: Mapped[int] = mapped_column(BigInteger)
    total_other_sales: Mapped[int] = mapped_column(BigInteger)  # non-commissionable lines
    total_retail_margin: Mapped[int] = mapped_column(BigInteger)  # customer orders only

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.line_no", lazy="raise"
    )
    buyer_member: Mapped[Member | None] = relationship(foreign_keys=[buyer_member_id], lazy="raise")
    buyer_customer: Mapped[Customer | None] = relationship(lazy="raise")
    reverses: Mapped[Order | None] = relationship(remote_side=[id], lazy="raise")


class OrderLine(Base):
    """One product on an order: units, price charged (minor units), PV/BV per unit."""

    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("line_no > 0", name="line_no_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("pv >= 0 AND bv >= 0", name="volumes_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    pv: Mapped[int] = mapped_column(BigInteger)
    bv: Mapped[int] = mapped_column(BigInteger)

    order: Mapped[Order] = relationship(back_populates="lines", lazy="raise")
    product: Mapped[Product] = relationship(lazy="raise")

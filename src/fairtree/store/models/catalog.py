"""The product catalogue: one price row per (sku, country)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base


class Product(Base):
    """Prices in minor units of ``currency``; PV and BV in hundredths of a point."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("sku", "country"),
        CheckConstraint("retail_price >= 0 AND member_price >= 0", name="prices_not_negative"),
        CheckConstraint("pv >= 0 AND bv >= 0", name="volumes_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    retail_price: Mapped[int] = mapped_column(BigInteger)
    member_price: Mapped[int] = mapped_column(BigInteger)
    pv: Mapped[int] = mapped_column(BigInteger)
    bv: Mapped[int] = mapped_column(BigInteger)
    commissionable: Mapped[bool] = mapped_column(Boolean, default=True)
    # "" for none; a bonus can pay only on some categories (``paid_on`` in the plan)
    category: Mapped[str] = mapped_column(String(64), default="", server_default="")

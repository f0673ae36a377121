"""Published income disclosure statements: what the public page at /disclosure/YEAR serves.

Publishing stores the statement as it was computed (HTML fragment and JSON) with the
runs it came from, so the public page answers at once and shows exactly what the
company published; the same command recomputes it from the ledger to the same bytes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base


class DisclosurePublication(Base):
    """One published year of one company."""

    __tablename__ = "disclosure_publications"
    __table_args__ = (UniqueConstraint("company_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    year: Mapped[int] = mapped_column(Integer)
    statement_html: Mapped[str] = mapped_column(Text)
    statement_json: Mapped[str] = mapped_column(Text)
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )

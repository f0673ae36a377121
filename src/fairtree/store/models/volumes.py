"""Running volume totals per member and period, kept current as orders are posted.

``pv`` is the member's own net volume from orders dated in the period; ``group_volume``
adds every downline member's; ``active_frontline`` counts frontline members whose PV
reached the plan's activity minimum. ``member_period_legs`` keeps, per max-leg cap the
plan uses, Σ min(frontline leg group volume, cap). Posting an order updates the buyer
and every ancestor (O(depth) rows), so rank progress never scans a frontline.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base


class MemberPeriodVolume(Base):
    """One member's PV and group volume (hundredths of a point) in one period."""

    __tablename__ = "member_period_volumes"

    period_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    pv: Mapped[int] = mapped_column(BigInteger, default=0)
    group_volume: Mapped[int] = mapped_column(BigInteger, default=0)
    active_frontline: Mapped[int] = mapped_column(Integer, default=0)


class MemberPeriodLeg(Base):
    """Σ over a member's frontline legs of min(leg group volume, ``cap``) in a period."""

    __tablename__ = "member_period_legs"

    period_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    cap: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    capped_volume: Mapped[int] = mapped_column(BigInteger, default=0)

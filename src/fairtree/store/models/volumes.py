"""Running volume totals per member and period, kept current as orders are posted.

``pv`` is the member's own net volume from orders dated in the period; ``group_volume``
adds every downline member's. Posting an order adds its volume to the buyer's row and
to every ancestor's group volume in one statement, so rank progress is always current.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fairtree.store.base import Base


class MemberPeriodVolume(Base):
    """One member's PV and group volume (hundredths of a point) in one period."""

    __tablename__ = "member_period_volumes"

    period_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    pv: Mapped[int] = mapped_column(BigInteger, default=0)
    group_volume: Mapped[int] = mapped_column(BigInteger, default=0)

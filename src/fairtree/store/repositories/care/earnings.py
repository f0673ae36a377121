"""Earned versus spent, per member, for the care metrics (set-based, one query each)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from fairtree.store.models import CommissionRun, Order, OrderLine, PayoutLine

Sums = tuple[np.ndarray, np.ndarray, np.ndarray]  # member pk, currency, amount


def _arrays(rows: Any) -> Sums:
    table = list(rows)
    pks = np.array([r[0] for r in table], dtype=np.int64)
    currencies = np.array([r[1] for r in table], dtype="<U3")
    amounts = np.array([int(r[2]) for r in table], dtype=np.int64)
    return pks, currencies, amounts


def finalized_earnings(session: Session, through: date) -> Sums:
    """Per (member pk, currency): pay of finalized runs ending by ``through``, adjustments in."""
    rows = session.execute(
        select(PayoutLine.member_id, CommissionRun.currency, func.sum(PayoutLine.amount))
        .join(CommissionRun, CommissionRun.id == PayoutLine.run_id)
        .where(CommissionRun.status == "finalized", CommissionRun.ends_on <= through + timedelta(1))
        .group_by(PayoutLine.member_id, CommissionRun.currency)
    )
    return _arrays(rows)


def own_order_spending(session: Session, through: date) -> Sums:
    """Per (member pk, currency): what members paid for own orders, returns subtracted."""
    sign = case((Order.kind == "return", -1), else_=1)
    rows = session.execute(
        select(
            Order.buyer_member_id,
            Order.currency,
            func.sum(sign * OrderLine.quantity * OrderLine.unit_price),
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.buyer_member_id.is_not(None), Order.placed_on <= through)
        .group_by(Order.buyer_member_id, Order.currency)
    )
    return _arrays(rows)

"""Personal volume of a whole downline for one period, in one set-based query.

PV of a member in a period = PV of the commissionable lines of orders placed in
[start, end) by the member or by one of the member's retail customers, minus the PV of
returns placed in the period (a return is its own dated fact). Integer hundredths.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from sqlalchemy import BigInteger, case, cast, func, select
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.store.models import Customer, Member, Order, OrderLine, Product
from fairtree.store.repositories.network.genealogy_history import downline_query


def personal_volume_query(period: Period):  # type: ignore[no-untyped-def]
    """(member, pv) for every member with volume in ``period``."""
    sign = case((Order.kind == "return", -1), else_=1)
    owner = func.coalesce(Order.buyer_member_id, Customer.member_id)
    return (
        select(
            owner.label("member_pk"),
            cast(func.sum(sign * OrderLine.quantity * OrderLine.pv), BigInteger).label("pv"),
        )
        .select_from(Order)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Product, Product.id == OrderLine.product_id)
        .outerjoin(Customer, Customer.id == Order.buyer_customer_id)
        .where(Order.placed_on >= period.start, Order.placed_on < period.end)
        .where(Product.commissionable.is_(True))
        .group_by(owner)
    )


def _int_table(rows: Sequence[Sequence[int]], width: int) -> np.ndarray:
    """Rows of integers as an (n, width) int64 array (column by column: numpy is slow
    at converting SQLAlchemy rows one by one)."""
    if not rows:
        return np.zeros((0, width), dtype=np.int64)
    return np.column_stack(
        [np.fromiter(column, np.int64, len(rows)) for column in zip(*rows, strict=True)]
    )


def downline_with_volume(
    session: Session, root_pk: int, period: Period, on: date | None = None
) -> dict[str, np.ndarray]:
    """Arrays over ``root_pk``'s whole sponsor downline (now or as of ``on``).

    Keys: ``member_pk`` (ascending), ``sponsor_pk`` (-1 for the root), ``depth``, ``pv``
    (int64 hundredths). Two set-based queries (the downline; PV per member in the
    period) joined with numpy: joining them in SQL lets SQLite re-run the aggregate.
    """
    found = downline_query(root_pk, on).subquery("tree")
    query = select(found.c.member_pk, func.coalesce(found.c.sponsor_pk, -1), found.c.depth)
    tree = _int_table(session.execute(query).all(), 3)
    tree = tree[np.argsort(tree[:, 0], kind="stable")]
    member_pk, depth = tree[:, 0].copy(), tree[:, 2].copy()
    sponsor = np.where(depth == 0, -1, tree[:, 1])
    volume = _int_table(session.execute(personal_volume_query(period)).all(), 2)
    pv = np.zeros(member_pk.size, dtype=np.int64)
    if member_pk.size and volume.size:
        at = np.minimum(np.searchsorted(member_pk, volume[:, 0]), member_pk.size - 1)
        inside = member_pk[at] == volume[:, 0]
        pv[at[inside]] = volume[inside, 1]
    return {"member_pk": member_pk, "sponsor_pk": sponsor, "depth": depth, "pv": pv}


def member_labels(
    session: Session, member_pks: np.ndarray
) -> dict[int, tuple[str, str, str, date]]:
    """member_id, display name, status and status date of each member given."""
    found: dict[int, tuple[str, str, str, date]] = {}
    pks = member_pks.tolist()
    for start in range(0, len(pks), 5000):
        query = select(
            Member.id, Member.member_id, Member.display_name, Member.status, Member.status_since
        ).where(Member.id.in_(pks[start : start + 5000]))
        for row in session.execute(query):
            found[row[0]] = (row[1], row[2], row[3], row[4])
    return found

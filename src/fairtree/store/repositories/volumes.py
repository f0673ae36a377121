"""Personal volume of a whole downline for one period, in one set-based query.

PV of a member in a period = PV of the commissionable lines of orders placed in
[start, end) by the member or by one of the member's retail customers, minus the PV of
returns placed in the period (a return is its own dated fact). Integer hundredths.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import BigInteger, case, cast, func, select
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.store.models import Customer, Member, Order, OrderLine, Product
from fairtree.store.repositories.genealogy_history import downline_query


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


def downline_with_volume(
    session: Session, root_pk: int, period: Period, on: date | None = None
) -> dict[str, np.ndarray]:
    """Arrays over ``root_pk``'s whole sponsor downline (now or as of ``on``).

    Keys: ``member_pk``, ``sponsor_pk`` (-1 for the root), ``depth``, ``pv`` (int64
    hundredths). Rows come back in no particular order.
    """
    tree = downline_query(root_pk, on).subquery("tree")
    volume = personal_volume_query(period).subquery("volume")
    query = select(
        tree.c.member_pk,
        func.coalesce(tree.c.sponsor_pk, -1),
        tree.c.depth,
        func.coalesce(volume.c.pv, 0),
    ).outerjoin(volume, volume.c.member_pk == tree.c.member_pk)
    rows = session.execute(query).all()
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
    member_pk, sponsor, depth, pv = (table[:, k].copy() for k in range(4))
    sponsor[depth == 0] = -1
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

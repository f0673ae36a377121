"""A downline's sponsor tree and the order totals its members' PV is counted from.

What counts in a period is what the close reads (``bulk.engine_arrays``): orders dated
in [start, end) and returns whose ``counts_on`` (the date of the order they reverse)
falls in it, by the member each is credited to, with the signed totals stored on each
order. The plan's rules turn these into PV (``engine.evaluate.personal_volume``); this
module only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from sqlalchemy import BigInteger, case, cast, func, select
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.store.models import GenealogyRecord, Member, Order
from fairtree.store.repositories.network.genealogy_history import downline_query


def _int_table(rows: Sequence[Sequence[int]], width: int) -> np.ndarray:
    """Rows of integers as an (n, width) int64 array (column by column: numpy is slow
    at converting SQLAlchemy rows one by one)."""
    if not rows:
        return np.zeros((0, width), dtype=np.int64)
    return np.column_stack(
        [np.fromiter(column, np.int64, len(rows)) for column in zip(*rows, strict=True)]
    )


def downline_tree(session: Session, root_pk: int, on: date | None = None) -> dict[str, np.ndarray]:
    """``root_pk``'s whole sponsor downline (now, or as of ``on``) as arrays.

    Keys: ``member_pk`` (ascending), ``sponsor_pk`` (-1 for the root) and ``depth``.
    Empty arrays when ``root_pk`` was not in the network on ``on``.
    """
    found = downline_query(root_pk, on).subquery("tree")
    query = select(found.c.member_pk, func.coalesce(found.c.sponsor_pk, -1), found.c.depth)
    tree = _int_table(session.execute(query).all(), 3)
    tree = tree[np.argsort(tree[:, 0], kind="stable")]
    member_pk, depth = tree[:, 0].copy(), tree[:, 2].copy()
    sponsor = np.where(depth == 0, -1, tree[:, 1])
    return {"member_pk": member_pk, "sponsor_pk": sponsor, "depth": depth}


def period_order_totals(
    session: Session, period: Period, member_pks: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Signed PV and BV totals of the orders and returns counting in ``period``, per
    credited member and kind of buyer (a member or a retail customer), in one grouped
    query; only those credited to ``member_pks`` when given (a few thousand at most: one
    bound value each). Keys: ``member_pk``, ``from_customer`` (bool), ``pv``, ``bv``."""
    from_customer = case((Order.buyer_customer_id.is_(None), 0), else_=1)
    query = (
        select(
            Order.credited_member_id,
            from_customer,
            cast(func.sum(Order.total_pv), BigInteger),
            cast(func.sum(Order.total_bv), BigInteger),
        )
        .where(Order.counts_on >= period.start, Order.counts_on < period.end)
        .group_by(Order.credited_member_id, from_customer)
    )
    if member_pks is not None:
        query = query.where(Order.credited_member_id.in_(member_pks.tolist()))
    rows = _int_table(session.execute(query).all(), 4)
    return {
        "member_pk": rows[:, 0].copy(),
        "from_customer": rows[:, 1].astype(bool),
        "pv": rows[:, 2].copy(),
        "bv": rows[:, 3].copy(),
    }


def member_order_totals(
    session: Session, member_pk: int, starts_on: date, ends_on: date
) -> dict[str, np.ndarray]:
    """``period_order_totals`` of one credited member over [starts_on, ends_on) (by
    ``counts_on``, as the close selects orders). Keys: ``from_customer``, ``pv``, ``bv``."""
    from_customer = case((Order.buyer_customer_id.is_(None), 0), else_=1)
    query = (
        select(
            from_customer,
            cast(func.sum(Order.total_pv), BigInteger),
            cast(func.sum(Order.total_bv), BigInteger),
        )
        .where(
            Order.credited_member_id == member_pk,
            Order.counts_on >= starts_on,
            Order.counts_on < ends_on,
        )
        .group_by(from_customer)
    )
    rows = _int_table(session.execute(query).all(), 3)
    return {
        "from_customer": rows[:, 0].astype(bool),
        "pv": rows[:, 1].copy(),
        "bv": rows[:, 2].copy(),
    }


def present_on(session: Session, member_pks: np.ndarray, on: date) -> set[int]:
    """Which of ``member_pks`` were in the network on ``on`` (a history row valid then)."""
    found: set[int] = set()
    pks = member_pks.tolist()
    for start in range(0, len(pks), 5000):
        query = select(GenealogyRecord.member_id).where(
            GenealogyRecord.member_id.in_(pks[start : start + 5000]),
            GenealogyRecord.valid_from <= on,
            (GenealogyRecord.valid_to.is_(None)) | (GenealogyRecord.valid_to > on),
        )
        found.update(int(pk) for pk in session.scalars(query))
    return found


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

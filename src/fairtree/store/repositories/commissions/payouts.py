"""Payout batches: member balances as arrays, items written set-based, ledger moves."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import Select, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from fairtree.dataset.arrays import Rows
from fairtree.ledger.accounts import Account
from fairtree.store.models import Member, PayoutBatch, PayoutItem
from fairtree.store.repositories.bulk.load import insert_rows

# What the company owes each member now (payable is credit normal, so negated), with
# what decides whether it can be paid.
_OWED = """
SELECT m.id, m.member_id, m.display_name, m.currency, m.status,
       CASE WHEN m.identity_verified THEN 1 ELSE 0 END AS verified,
       CASE WHEN EXISTS (SELECT 1 FROM payout_holds h
                         WHERE h.member_id = m.id AND h.released_at IS NULL)
            THEN 1 ELSE 0 END AS disputed,
       -SUM(e.amount) AS owed
FROM ledger_entries e JOIN members m ON m.id = e.member_id
WHERE e.account = :payable
GROUP BY m.id, m.member_id, m.display_name, m.currency, m.status, m.identity_verified
HAVING SUM(e.amount) < 0
ORDER BY m.id
"""


def owed_balances(session: Session) -> dict[str, np.ndarray]:
    rows = session.execute(text(_OWED), {"payable": Account.MEMBER_PAYABLE.value}).all()
    names = ("id", "member_id", "display_name", "currency", "status", "verified", "disputed")
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [()] * 8
    out = {name: np.array(columns[i], dtype=object) for i, name in enumerate(names)}
    out["id"] = np.array(columns[0], dtype=np.int64)
    out["verified"] = np.array(columns[5], dtype=bool)
    out["disputed"] = np.array(columns[6], dtype=bool)
    out["owed"] = np.array(columns[7], dtype=np.int64)
    return out


def member_currencies(session: Session) -> set[str]:
    """Every currency some member is paid in."""
    return set(session.scalars(select(Member.currency).distinct()))


def insert_items(session: Session, batch_id: int, columns: dict[str, np.ndarray]) -> None:
    size = len(next(iter(columns.values())))
    if size:
        insert_rows(
            session,
            Rows("payout_items", {"batch_id": np.full(size, batch_id, np.int64), **columns}),
        )


_MOVE_ITEMS = """
INSERT INTO ledger_entries
  (transaction_id, account, member_id, amount, currency, payout_item_id, source)
SELECT :tx, :account, i.member_id, :sign * i.amount, :currency, i.id, :source
FROM payout_items i
WHERE i.batch_id = :batch AND i.status = :status AND i.amount <> 0
  AND (:all_items = 1 OR i.id IN :ids)
ORDER BY i.id
"""


def move_items(
    session: Session,
    tx: int,
    batch_id: int,
    status: str,
    moves: list[tuple[Account, int]],
    currency: str,
    source: str,
    item_ids: list[int] | None = None,
) -> None:
    """One entry per item of ``status`` (only ``item_ids`` when given) per (account, sign)."""
    statement = text(_MOVE_ITEMS).bindparams(bindparam("ids", expanding=True))
    for account, sign in moves:
        session.execute(
            statement,
            {
                "tx": tx,
                "account": account.value,
                "sign": sign,
                "currency": currency,
                "source": source,
                "batch": batch_id,
                "status": status,
                "all_items": 1 if item_ids is None else 0,
                "ids": item_ids if item_ids else [-1],
            },
        )


def find_batch(session: Session, company_id: int, period_key: str) -> PayoutBatch | None:
    return session.scalar(
        select(PayoutBatch).where(
            PayoutBatch.company_id == company_id, PayoutBatch.period_key == period_key
        )
    )


def _items() -> Select:  # type: ignore[type-arg]
    """Payout items with their member: what the batch page and the provider file list."""
    return select(
        PayoutItem.id,
        Member.member_id,
        Member.display_name,
        PayoutItem.amount,
        PayoutItem.payout_currency,
        PayoutItem.payout_amount,
        PayoutItem.rate,
        PayoutItem.status,
        PayoutItem.reason,
    ).join(Member, Member.id == PayoutItem.member_id)


def batch_items(session: Session, batch_id: int) -> list[Any]:
    return list(
        session.execute(_items().where(PayoutItem.batch_id == batch_id).order_by(PayoutItem.id))
    )


ITEM_SORTS = ("id", "member", "amount", "payout", "status")


def batch_items_page(
    session: Session,
    batch_id: int,
    status: str | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[Any], int]:
    """One page of a batch's items (``status`` None: every status), sorted in SQL with the
    item id as the tie-break, and how many items match."""
    keys = {
        "id": PayoutItem.id,
        "member": Member.member_id,
        "amount": PayoutItem.amount,
        "payout": PayoutItem.payout_amount,
        "status": PayoutItem.status,
    }
    key = keys.get(sort, PayoutItem.id)
    where = [PayoutItem.batch_id == batch_id]
    if status:
        where.append(PayoutItem.status == status)
    rows = session.execute(
        _items()
        .where(*where)
        .order_by(key.desc() if descending else key.asc(), PayoutItem.id)
        .limit(limit)
        .offset(offset)
    )
    total = session.scalar(select(func.count()).select_from(PayoutItem).where(*where))
    return list(rows), int(total or 0)


def set_item_status(
    session: Session, batch_id: int, item_ids: list[int], status: str, reason: str | None
) -> int:
    """Move ``pending`` items to ``status``; returns how many moved."""
    result = session.execute(
        update(PayoutItem)
        .where(
            PayoutItem.batch_id == batch_id,
            PayoutItem.id.in_(item_ids),
            PayoutItem.status == "pending",
        )
        .values(status=status, reason=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

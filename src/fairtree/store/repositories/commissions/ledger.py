"""Post ledger transactions set-based and derive balances from entries.

Each posting inserts its entries with INSERT ... SELECT, then sums them back and
refuses (raises, so the caller's transaction rolls back) unless debits equal credits.
Balances are never stored: they are sums over ``ledger_entries``.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from fairtree.ledger.accounts import Account, check_balanced
from fairtree.store.models import LedgerEntry, LedgerTransaction

_ENTRIES = cast(Table, LedgerEntry.__table__)


def open_transaction(
    session: Session,
    company_id: int,
    kind: str,
    key: str,
    memo: str,
    run_id: int | None = None,
    payout_batch_id: int | None = None,
) -> int:
    transaction = LedgerTransaction(
        company_id=company_id,
        kind=kind,
        idempotency_key=key,
        memo=memo,
        run_id=run_id,
        payout_batch_id=payout_batch_id,
    )
    session.add(transaction)
    session.flush()
    return transaction.id


def check_transaction(session: Session, transaction_id: int, key: str) -> tuple[int, int]:
    """(debits, credits) of a transaction; raises when they do not cancel."""
    debits, credits = session.execute(
        select(
            func.coalesce(func.sum(LedgerEntry.amount).filter(LedgerEntry.amount > 0), 0),
            func.coalesce(func.sum(LedgerEntry.amount).filter(LedgerEntry.amount < 0), 0),
        ).where(LedgerEntry.transaction_id == transaction_id)
    ).one()
    check_balanced(key, int(debits), int(credits))
    return int(debits), int(credits)


_LINES_TO_PAYABLE = """
INSERT INTO ledger_entries
  (transaction_id, account, member_id, amount, currency, bonus_id, payout_line_id, source)
SELECT :tx, :payable, member_id, -amount, :currency, bonus_id, id,
       CASE WHEN kind = 'adjustment'
            THEN 'adjusts line ' || CAST(corrects_line_id AS VARCHAR(20)) || ': ' || reason
            ELSE explanation_ref END
FROM payout_lines WHERE run_id = :run AND amount <> 0 ORDER BY id
"""

_LINES_TO_EXPENSE = """
INSERT INTO ledger_entries (transaction_id, account, member_id, amount, currency, bonus_id,
                            source)
SELECT :tx, :expense, NULL, SUM(amount), :currency, bonus_id, 'run ' || CAST(:run AS VARCHAR(20))
FROM payout_lines WHERE run_id = :run
GROUP BY bonus_id HAVING SUM(amount) <> 0 ORDER BY bonus_id
"""


def post_run(session: Session, company_id: int, run_id: int, period_key: str, currency: str) -> int:
    """Debit commission expense per bonus, credit each member's payable per line."""
    key = f"run:{run_id}"
    tx = open_transaction(
        session, company_id, "run_finalized", key, f"commissions of {period_key}", run_id=run_id
    )
    params = {"tx": tx, "run": run_id, "currency": currency}
    session.execute(text(_LINES_TO_PAYABLE), {**params, "payable": Account.MEMBER_PAYABLE.value})
    session.execute(
        text(_LINES_TO_EXPENSE), {**params, "expense": Account.COMMISSION_EXPENSE.value}
    )
    check_transaction(session, tx, key)
    return tx


# Per member: payable P (credit normal, <0 when owed) and receivable R (debit normal).
# Owed back (P > 0): move P into the receivable. Earnings with a receivable open
# (P < 0 < R): settle min(-P, R) from the receivable.
_BALANCES = """
SELECT member_id,
       SUM(CASE WHEN account = :payable THEN amount ELSE 0 END) AS payable,
       SUM(CASE WHEN account = :receivable THEN amount ELSE 0 END) AS receivable
FROM ledger_entries
WHERE member_id IS NOT NULL AND account IN (:payable, :receivable)
GROUP BY member_id
"""

_MOVES = (
    """
SELECT member_id,
       CASE WHEN payable > 0 THEN payable
            WHEN payable < 0 AND receivable > 0 THEN
              -(CASE WHEN -payable < receivable THEN -payable ELSE receivable END)
            ELSE 0 END AS move
FROM ("""
    + _BALANCES
    + """) balances
ORDER BY member_id
"""
)


def settle_clawbacks(
    session: Session, company_id: int, key: str, memo: str, currency: str
) -> int | None:
    """Carry negative member balances as receivables and settle them from earnings."""
    rows_read = session.execute(
        text(_MOVES),
        {
            "payable": Account.MEMBER_PAYABLE.value,
            "receivable": Account.CLAWBACK_RECEIVABLE.value,
        },
    ).all()
    moves = [(int(m), int(v)) for m, v in rows_read if v]
    if not moves:
        return None
    tx = open_transaction(session, company_id, "clawback_carry", key, memo)
    rows: list[dict[str, Any]] = []
    for member_id, move in moves:
        note = (
            "balance below zero after corrections: carried as owed"
            if move > 0
            else "owed amount settled from new earnings"
        )
        rows.append(entry(tx, Account.CLAWBACK_RECEIVABLE, member_id, move, currency, note))
        rows.append(entry(tx, Account.MEMBER_PAYABLE, member_id, -move, currency, note))
    insert_entries(session, rows)
    check_transaction(session, tx, key)
    return tx


def insert_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(_ENTRIES.insert(), rows)


def entry(
    tx: int, account: Account, member_id: int | None, amount: int, currency: str, source: str
) -> dict[str, Any]:
    """One entry row for ``insert_entries``."""
    return {
        "transaction_id": tx,
        "account": account.value,
        "member_id": member_id,
        "amount": amount,
        "currency": currency,
        "bonus_id": None,
        "payout_line_id": None,
        "payout_item_id": None,
        "source": source,
    }


def balances(session: Session, member_id: int | None = None) -> dict[tuple[str, int | None], int]:
    """Balance per (account, member) as the sum of its entries."""
    query = select(LedgerEntry.account, LedgerEntry.member_id, func.sum(LedgerEntry.amount))
    if member_id is not None:  # every account named: the (account, member) index serves
        accounts = [account.value for account in Account]
        query = query.where(LedgerEntry.account.in_(accounts), LedgerEntry.member_id == member_id)
    rows = session.execute(query.group_by(LedgerEntry.account, LedgerEntry.member_id))
    return {(account, member): int(total) for account, member, total in rows}


def account_total(session: Session, account: Account) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.account == account.value
            )
        )
        or 0
    )

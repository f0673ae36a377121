"""Ledger accounts and the rule every transaction obeys.

Amounts are signed minor units: a debit is positive, a credit negative. A transaction
balances when its entries sum to zero, and every posting path checks that before
anything is committed.

Accounts (``member`` is set on the per-member ones):
- ``commission_expense``: what the company's plan costs it (debit normal).
- ``member_payable`` (member): what the company owes a member (credit normal).
- ``clawback_receivable`` (member): what a member owes back after corrections exceeded
  their earnings (debit normal); settled first from later earnings.
- ``payouts_in_transit`` (member): handed to a payout provider, not yet confirmed.
- ``payouts_paid`` (member): confirmed paid out (credit normal, the cash side).
"""

from __future__ import annotations

from enum import StrEnum

from fairtree.errors import Problem, ValidationError


class Account(StrEnum):
    COMMISSION_EXPENSE = "commission_expense"
    MEMBER_PAYABLE = "member_payable"
    CLAWBACK_RECEIVABLE = "clawback_receivable"
    PAYOUTS_IN_TRANSIT = "payouts_in_transit"
    PAYOUTS_PAID = "payouts_paid"


MEMBER_ACCOUNTS = frozenset(
    {
        Account.MEMBER_PAYABLE,
        Account.CLAWBACK_RECEIVABLE,
        Account.PAYOUTS_IN_TRANSIT,
        Account.PAYOUTS_PAID,
    }
)


class UnbalancedTransactionError(ValidationError):
    """A transaction's debits and credits differ; nothing was posted."""


def check_balanced(key: str, debits: int, credits: int) -> None:
    """Refuse a transaction whose debits (>0 sum) and credits (<0 sum) do not cancel."""
    if debits + credits != 0:
        raise UnbalancedTransactionError(
            [
                Problem(
                    "ledger",
                    key,
                    "amount",
                    f"debits {debits} and credits {-credits} differ by {debits + credits}",
                )
            ]
        )


def member_owed(payable: int, receivable: int) -> int:
    """What the company owes a member net (negative: what the member owes back)."""
    return -(payable + receivable)

"""Payout lines from an evaluation, their digest, and the balance rule."""

from __future__ import annotations

import numpy as np
import pytest

from fairtree.engine.inputs import CarryState
from fairtree.engine.result import BonusOutcome, Evaluation
from fairtree.ledger.accounts import UnbalancedTransactionError, check_balanced, member_owed
from fairtree.ledger.lines import evaluation_lines


def evaluation(pay_a: list[int], pay_b: list[int], report_only_b: bool = False) -> Evaluation:
    zeros = np.zeros(3, dtype=np.int64)
    return Evaluation(
        member_ids=np.array(["X", "Y", "Z"], dtype=object),
        bonus_ids=("a", "b"),
        outcomes={
            "a": BonusOutcome(pay=np.array(pay_a, dtype=np.int64), pool=sum(pay_a)),
            "b": BonusOutcome(
                pay=np.array(pay_b, dtype=np.int64), pool=sum(pay_b), report_only=report_only_b
            ),
        },
        paid_as=np.zeros(3, dtype=np.int16),
        highest=np.zeros(3, dtype=np.int16),
        active=np.ones(3, dtype=bool),
        pv=zeros,
        bv=zeros,
        group_volume=zeros,
        carry_out=CarryState.empty(3),
        rank_names=(),
    )


def test_lines_are_ordered_by_member_then_bonus_and_skip_zero() -> None:
    # Database ids put Z first, then X, then Y.
    lines = evaluation_lines(evaluation([5, 0, 7], [1, 2, 0]), np.array([20, 30, 10]))
    assert list(zip(lines.member_ids, lines.bonus_id, lines.amount.tolist(), strict=True)) == [
        ("Z", "a", 7),
        ("X", "a", 5),
        ("X", "b", 1),
        ("Y", "b", 2),
    ]
    assert lines.member_db_id.tolist() == [10, 20, 20, 30]
    assert lines.explanation_refs("2026-03").tolist() == [
        "2026-03/Z/a",
        "2026-03/X/a",
        "2026-03/X/b",
        "2026-03/Y/b",
    ]
    assert lines.total() == 15


def test_report_only_bonuses_are_not_paid_lines() -> None:
    lines = evaluation_lines(evaluation([5, 0, 0], [9, 9, 9], report_only_b=True), np.arange(3))
    assert lines.bonus_id.tolist() == ["a"]


def test_digest_is_equal_for_equal_lines_and_differs_otherwise() -> None:
    ids = np.array([1, 2, 3])
    first = evaluation_lines(evaluation([5, 0, 7], [1, 2, 0]), ids).digest()
    same = evaluation_lines(evaluation([5, 0, 7], [1, 2, 0]), ids).digest()
    other = evaluation_lines(evaluation([5, 0, 8], [1, 2, 0]), ids).digest()
    assert first == same != other
    assert len(first) == 64


def test_an_unbalanced_transaction_names_the_difference() -> None:
    check_balanced("tx", 1500, -1500)
    with pytest.raises(
        UnbalancedTransactionError, match="debits 1500 and credits 1499 differ by 1"
    ):
        check_balanced("tx", 1500, -1499)


def test_owed_is_payable_and_receivable_netted() -> None:
    assert member_owed(payable=-734, receivable=0) == 734
    assert member_owed(payable=0, receivable=200) == -200

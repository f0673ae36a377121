"""Qualification by one order (``QualifyingOrder`` in the plan): the member placed, in
the period, ONE order of their own (not a retail customer's, not a return) of at least
``min_pv`` PV and, when the condition names a ``kind``, of that kind. Two smaller
orders do not add up to one, which is what ``pv`` / ``receiver_min_pv`` measure.

The same rule serves activity, rank conditions and bonus receivers; the reference
evaluator states it again as a loop (``reference.placed_qualifying_order``).
"""

from __future__ import annotations

import numpy as np

from fairtree.engine.context import PeriodOrders
from fairtree.plans.schema import QualifyingOrder


def of_kind(kinds: np.ndarray | None, kind: str, count: int) -> np.ndarray:
    """Orders whose kind is ``kind``; without kind labels every order is an ``order``."""
    if kinds is None:
        return np.full(count, kind == "order")
    return np.asarray(kinds == kind, dtype=bool)


def placed_qualifying_order(
    orders: PeriodOrders, size: int, condition: QualifyingOrder
) -> np.ndarray:
    """Per member (preorder): placed one own order meeting ``condition`` in the period."""
    keep = ~orders.from_customer & (orders.pv >= condition.min_pv)
    if condition.kind is not None:
        keep &= of_kind(orders.kind, condition.kind, keep.shape[0])
    placed = np.zeros(size, dtype=bool)
    placed[orders.buyer[keep]] = True
    return placed

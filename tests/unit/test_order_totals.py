"""engine.order_rollup.order_totals: an order's signed totals from its lines, by hand."""

from __future__ import annotations

import numpy as np

from fairtree.engine.order_rollup import LineFacts, order_totals


def test_totals_of_hand_made_orders_with_lines_out_of_order() -> None:
    # Order 0: member order, 2 x tea (20.00 PV, 15.00 BV, 20.00) and 1 bag (not
    # commissionable, 8.00). Order 1: customer order, 1 x tea at retail 25.00.
    # Order 2: return of order 1. Order 3: no lines. Lines listed out of order.
    lines = LineFacts(
        order=np.array([1, 0, 2, 0]),
        quantity=np.array([1, 2, 1, 1]),
        unit_price=np.array([2500, 2000, 2500, 800]),
        pv=np.array([2000, 2000, 2000, 0]),
        bv=np.array([1500, 1500, 1500, 0]),
        commissionable=np.array([True, True, True, False]),
        retail_margin=np.array([500, 500, 500, 200]),
    )
    totals = order_totals(
        lines,
        is_return=np.array([False, False, True, False]),
        from_customer=np.array([False, True, True, False]),
    )
    assert {name: column.tolist() for name, column in totals.items()} == {
        "total_pv": [4000, 2000, -2000, 0],
        "total_bv": [3000, 1500, -1500, 0],
        "total_sales": [4000, 2500, -2500, 0],
        "total_other_sales": [800, 0, 0, 0],
        "total_retail_margin": [0, 500, -500, 0],  # margin only where a customer bought
    }
    assert all(column.dtype == np.int64 for column in totals.values())

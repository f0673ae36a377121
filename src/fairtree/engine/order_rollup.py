"""Order lines -> one engine order row each (volumes and amounts summed per order).

``order_totals`` is the arithmetic, and the definition of ``engine.inputs.Orders``:
PV, BV and sales of commissionable lines, other sales of the rest, retail margin on
customer orders only, all negative on a return. Every path that records orders (the
dataset import, posting, the benchmarks) stores its result on the order row, so a
period close reads one row per order; ``rollup_orders`` builds engine orders straight
from a dataset's or a synthetic company's lines with the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairtree.engine.inputs import OrderLines, Orders

TOTAL_COLUMNS = ("total_pv", "total_bv", "total_sales", "total_other_sales", "total_retail_margin")


@dataclass(frozen=True)
class LineFacts:
    """Order lines as arrays: ``order`` is the row index of each line's order."""

    order: np.ndarray  # int64
    quantity: np.ndarray  # int64
    unit_price: np.ndarray  # int64 minor units
    pv: np.ndarray  # int64 hundredths of a point, per unit
    bv: np.ndarray  # int64 hundredths of a point, per unit
    commissionable: np.ndarray  # bool, from the line's product
    retail_margin: np.ndarray  # int64 minor units per unit: retail minus member price


def order_totals(
    lines: LineFacts, is_return: np.ndarray, from_customer: np.ndarray
) -> dict[str, np.ndarray]:
    """Signed totals per order (``is_return``/``from_customer`` are per order), by column."""
    count = is_return.shape[0]
    commissionable = lines.commissionable.astype(bool)
    sales = lines.quantity * lines.unit_price
    per_line = {
        "total_pv": np.where(commissionable, lines.quantity * lines.pv, 0),
        "total_bv": np.where(commissionable, lines.quantity * lines.bv, 0),
        "total_sales": np.where(commissionable, sales, 0),
        "total_other_sales": np.where(commissionable, 0, sales),
        "total_retail_margin": lines.quantity * lines.retail_margin,
    }
    sums = _sum_by_order(lines.order, per_line, count)
    sign = np.where(is_return, -1, 1).astype(np.int64)
    totals = {name: sign * column for name, column in sums.items()}
    totals["total_retail_margin"] = np.where(from_customer, totals["total_retail_margin"], 0)
    return totals


def _sum_by_order(
    order: np.ndarray, per_line: dict[str, np.ndarray], count: int
) -> dict[str, np.ndarray]:
    """Exact int64 sums of each line column per order (no float weights)."""
    out = {name: np.zeros(count, dtype=np.int64) for name in per_line}
    if order.size == 0:
        return out
    sort = None if bool(np.all(order[1:] >= order[:-1])) else np.argsort(order, kind="stable")
    owner = order if sort is None else order[sort]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    for name, values in per_line.items():
        ordered = values.astype(np.int64) if sort is None else values[sort].astype(np.int64)
        out[name][owner[starts]] = np.add.reduceat(ordered, starts)
    return out


def rollup_orders(
    *,
    order_ids: np.ndarray,
    buyer_member: np.ndarray,  # int64 member index or -1
    buyer_customer: np.ndarray,  # int64 customer index or -1
    customer_owner: np.ndarray,  # int64 member index per customer
    is_return: np.ndarray,  # bool per order
    placed_on: np.ndarray,
    party: np.ndarray,
    line_order: np.ndarray,  # int64 order index per line
    quantity: np.ndarray,
    unit_price: np.ndarray,  # minor units per unit
    line_pv: np.ndarray,  # hundredths per unit
    line_bv: np.ndarray,
    commissionable: np.ndarray,  # bool per line
    retail_price: np.ndarray,  # minor units per unit, from the catalogue
    member_price: np.ndarray,
) -> Orders:
    from_customer = buyer_member < 0
    owner = np.where(from_customer, customer_owner[np.maximum(buyer_customer, 0)], buyer_member)
    lines = LineFacts(
        order=line_order.astype(np.int64),
        quantity=quantity.astype(np.int64),
        unit_price=unit_price,
        pv=line_pv,
        bv=line_bv,
        commissionable=commissionable,
        retail_margin=retail_price - member_price,
    )
    totals = order_totals(lines, is_return, from_customer)
    return Orders(
        ids=order_ids,
        buyer=owner.astype(np.int64),
        from_customer=from_customer,
        placed_on=placed_on.astype("datetime64[D]"),
        pv=totals["total_pv"],
        bv=totals["total_bv"],
        sales=totals["total_sales"],
        noncommissionable_sales=totals["total_other_sales"],
        retail_margin=totals["total_retail_margin"],
        party=party.astype(np.int64),
    )


def lines_by_product(
    lines: LineFacts,
    product: np.ndarray,  # int64 catalogue row per line
    is_return: np.ndarray,  # bool per order
    product_ids: np.ndarray,
    product_category: np.ndarray,
) -> OrderLines:
    """The commissionable lines' signed volumes by product (``Orders.lines``), with the
    same arithmetic as ``order_totals``: quantity x per unit, negative on a return."""
    keep = np.flatnonzero(lines.commissionable.astype(bool))
    order = lines.order[keep]
    sign = np.where(is_return[order], -1, 1).astype(np.int64)
    quantity = lines.quantity[keep].astype(np.int64)
    return OrderLines(
        order=order,
        product=product[keep].astype(np.int32),
        pv=sign * quantity * lines.pv[keep],
        bv=sign * quantity * lines.bv[keep],
        product_ids=product_ids,
        product_category=product_category,
    )

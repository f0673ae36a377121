"""The volume a bonus limited to some products pays on (``paid_on`` in the plan).

An order line counts when its product's category or id is selected; the line volumes
are summed per order (one gather selects the lines, one unbuffered ``np.add.at`` sums
them, exact in int64), then per member by the same rules as PV and BV
(``evaluate.member_volumes``): the plan's volume sources, returns subtracting, never
below zero. Nothing else changes: ranks, activity, group volume and every other bonus
still read the whole volume.

The reference evaluator states the same rule as a loop over each order's lines
(``reference.limited_order_volume``).
"""

from __future__ import annotations

import numpy as np

from fairtree.engine.context import Context
from fairtree.engine.inputs import OrderLines
from fairtree.plans.bonus_kinds import ProductLimit


def selected_products(lines: OrderLines, limit: ProductLimit) -> np.ndarray:
    """Per catalogue row: the product is one the bonus pays on."""
    ids = lines.product_ids.astype(str)
    categories = lines.product_category.astype(str)
    chosen = np.isin(ids, np.array(limit.products, dtype=str))
    return chosen | np.isin(categories, np.array(limit.categories, dtype=str))


def _raw_order_volumes(ctx: Context, limit: ProductLimit) -> tuple[np.ndarray, np.ndarray]:
    """(pv, bv) of the selected lines per period order (rows of ``ctx.orders``)."""
    key = f"paid_on.orders:{limit.key}"
    if key not in ctx.cache:
        count = len(ctx.inputs.orders)
        pv, bv = np.zeros(count, dtype=np.int64), np.zeros(count, dtype=np.int64)
        lines = ctx.inputs.orders.lines
        if lines is not None and len(lines):
            keep = np.flatnonzero(selected_products(lines, limit)[lines.product])
            rows = lines.order[keep]
            np.add.at(pv, rows, lines.pv[keep])
            np.add.at(bv, rows, lines.bv[keep])
        period = ctx.orders.index
        ctx.cache[key] = np.stack([pv[period], bv[period]])
    raw = ctx.cache[key]
    return raw[0], raw[1]


def order_volume(ctx: Context, name: str, limit: ProductLimit | None) -> np.ndarray:
    """Per period order: its ``name`` volume ("pv" or "bv") on the limit's products
    (the whole order's without a limit), under the plan's volume sources."""
    if limit is None:
        return ctx.orders.pv if name == "pv" else ctx.orders.bv
    raw = dict(zip(("pv", "bv"), _raw_order_volumes(ctx, limit), strict=True))
    rules = ctx.plan.volumes
    return raw[rules.pv_from] if name == "pv" else raw[rules.bv_from]


def member_volume(ctx: Context, name: str, limit: ProductLimit | None) -> np.ndarray:
    """Per member (preorder): net ``name`` volume on the limit's products, never below
    zero (``ctx.pv``/``ctx.bv`` without a limit)."""
    if limit is None:
        return ctx.volume(name)
    key = f"paid_on.{name}:{limit.key}"
    if key not in ctx.cache:
        total = np.zeros(ctx.size, dtype=np.int64)
        volume = order_volume(ctx, name, limit)
        if name == "pv" and ctx.plan.volumes.customer_orders == "none":
            volume = np.where(ctx.orders.from_customer, 0, volume)
        np.add.at(total, ctx.orders.buyer, volume)
        ctx.cache[key] = np.maximum(total, 0)
    return ctx.cache[key]


def counted_orders(ctx: Context, name: str, limit: ProductLimit | None) -> np.ndarray:
    """Per period order: an explanation lists it (every order without a limit; with one,
    the orders with volume on the limit's products)."""
    if limit is None:
        return np.ones(ctx.orders.buyer.shape[0], dtype=bool)
    return order_volume(ctx, name, limit) != 0


def paid_on_text(limit: ProductLimit | None) -> str:
    """How an explanation names the products a bonus pays on ("" for all)."""
    if limit is None:
        return ""
    named = [f"category {name}" for name in limit.categories]
    named += [f"product {name}" for name in limit.products]
    return f" on {', '.join(named)}"

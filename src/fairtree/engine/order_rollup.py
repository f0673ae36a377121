"""Order lines -> one engine order row each (volumes and amounts summed per order).

Shared by the dataset loader and the synthetic-company adapter. Non-commissionable
lines carry no volume and are summed apart; a return row's figures are negative.
"""

from __future__ import annotations

import numpy as np

from fairtree.engine.inputs import Orders


def _per_order(count: int, line_order: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.zeros(count, dtype=np.int64)
    np.add.at(out, line_order, values)
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
    count = int(order_ids.shape[0])
    quantity = quantity.astype(np.int64)
    sign = np.where(is_return, -1, 1).astype(np.int64)
    from_customer = buyer_member < 0
    owner = np.where(from_customer, customer_owner[np.maximum(buyer_customer, 0)], buyer_member)
    counted = commissionable.astype(np.int64)
    line_customer = from_customer[line_order]
    margin = np.where(line_customer, quantity * (retail_price - member_price), 0)

    def total(values: np.ndarray) -> np.ndarray:
        return _per_order(count, line_order, values) * sign

    return Orders(
        ids=order_ids,
        buyer=owner.astype(np.int64),
        from_customer=from_customer,
        placed_on=placed_on.astype("datetime64[D]"),
        pv=total(quantity * line_pv * counted),
        bv=total(quantity * line_bv * counted),
        sales=total(quantity * unit_price * counted),
        noncommissionable_sales=total(quantity * unit_price * (1 - counted)),
        retail_margin=total(margin),
        party=party.astype(np.int64),
    )

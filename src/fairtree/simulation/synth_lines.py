"""Turn order headers into the final order table: lines, returns, creation order.

Returns are new facts, never edits: a return is its own row, dated after the order it
reverses (same buyer, same country), bringing back part of one line. At the end every
row is put in date order and the indices that point at orders are renumbered.
"""

from __future__ import annotations

import numpy as np

from fairtree.simulation.company import (
    ORDER_KINDS,
    Customers,
    Members,
    OrderLines,
    Orders,
    Products,
)
from fairtree.simulation.synth_catalogue import sellable_rows
from fairtree.simulation.synth_network import COUNTRIES, COUNTRY_CURRENCIES


def country_codes(countries: np.ndarray) -> np.ndarray:
    """Index into COUNTRIES of each country code."""
    return (countries[:, None] == COUNTRIES[None, :]).argmax(axis=1).astype(np.int64)


def assemble_orders(
    rng: np.random.Generator,
    *,
    placed_on: np.ndarray,
    buyer_member: np.ndarray,
    buyer_customer: np.ndarray,
    party: np.ndarray,
    members: Members,
    customers: Customers,
    products: Products,
    end: np.datetime64,
    mean_extra_lines: float,
    mean_extra_units: float,
    return_share: float,
) -> tuple[Orders, OrderLines]:
    """Lines for every order, a few partial returns, all in creation (date) order."""
    count = placed_on.shape[0]
    member_country = country_codes(members.country)
    by_member = buyer_member >= 0
    country = np.where(
        by_member,
        member_country[np.maximum(buyer_member, 0)],
        member_country[customers.owner[np.maximum(buyer_customer, 0)]] if len(customers) else 0,
    )

    lines_per_order = 1 + rng.poisson(mean_extra_lines, count)
    first_line = np.concatenate([[0], np.cumsum(lines_per_order)[:-1]]).astype(np.int64)
    line_order = np.repeat(np.arange(count, dtype=np.int64), lines_per_order)
    line_no = np.arange(line_order.shape[0], dtype=np.int64) - first_line[line_order] + 1
    sellable, popularity = sellable_rows(products)
    sku_number = sellable[rng.choice(sellable.shape[0], size=line_order.shape[0], p=popularity)]
    row = sku_number * len(COUNTRIES) + country[line_order]
    quantity = rng.geometric(1.0 / (1.0 + mean_extra_units), line_order.shape[0])
    unit_price = np.where(
        by_member[line_order], products.member_price[row], products.retail_price[row]
    )

    # Returns: part of the first line of a few orders, on a later day before the end.
    returned = np.flatnonzero(rng.random(count) < return_share)
    wait = 1 + np.floor(rng.exponential(10.0, returned.shape[0])).astype(np.int64)
    return_day = (placed_on[returned] + wait).astype("datetime64[D]")
    kept = return_day < end
    returned, return_day = returned[kept], return_day[kept]
    source_line = first_line[returned]
    return_quantity = 1 + np.floor(rng.random(returned.shape[0]) * quantity[source_line])

    all_placed = np.concatenate([placed_on, return_day])
    permutation = np.argsort(all_placed, kind="stable")
    new_index = np.empty_like(permutation)
    new_index[permutation] = np.arange(permutation.shape[0])
    returns_order = np.concatenate([np.full(count, -1), new_index[returned]])[permutation]
    kind_code = np.concatenate([np.zeros(count, np.int8), np.ones(returned.shape[0], np.int8)])
    order_country = np.concatenate([country, country[returned]])[permutation]
    orders = Orders(
        kind=np.asarray(ORDER_KINDS)[kind_code[permutation]],
        placed_on=all_placed[permutation],
        buyer_member=np.concatenate([buyer_member, buyer_member[returned]])[permutation],
        buyer_customer=np.concatenate([buyer_customer, buyer_customer[returned]])[permutation],
        country=COUNTRIES[order_country],
        currency=COUNTRY_CURRENCIES[order_country],
        party=np.concatenate([party, np.full(returned.shape[0], -1)])[permutation],
        returns_order=returns_order.astype(np.int64),
    )

    line_owner = new_index[
        np.concatenate([line_order, count + np.arange(returned.shape[0], dtype=np.int64)])
    ]
    line_sort = np.argsort(line_owner, kind="stable")
    lines = OrderLines(
        order=line_owner[line_sort],
        line_no=np.concatenate([line_no, np.ones(returned.shape[0], np.int64)])[line_sort],
        sku=np.concatenate([row, row[source_line]])[line_sort].astype(np.int64),
        quantity=np.concatenate([quantity, return_quantity]).astype(np.int64)[line_sort],
        unit_price=np.concatenate([unit_price, unit_price[source_line]])[line_sort],
        pv=np.concatenate([products.pv[row], products.pv[row[source_line]]])[line_sort],
        bv=np.concatenate([products.bv[row], products.bv[row[source_line]]])[line_sort],
    )
    return orders, lines

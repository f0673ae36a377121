"""Checks of orders and order lines: buyers, dates, returns, products, amounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.dataset import fields
from fairtree.dataset.arrays import (
    Rows,
    duplicate_keys,
    group_sum,
    joined_key,
    lookup,
    nullable_ids,
    take,
)
from fairtree.dataset.checks import ID_RULE, check_ids, check_reference, reporter
from fairtree.dataset.network import Network
from fairtree.dataset.problems import LineNumbers, Problems
from fairtree.dataset.sales import Catalogue, Customers
from fairtree.dataset.schema import ORDER_LINES, ORDERS
from fairtree.engine.order_rollup import LineFacts, order_totals

# The rules of orders and returns in words; live order intake (services.order_intake)
# checks the same rules one order at a time and says them the same way.
ONE_BUYER = "exactly one of buyer_member_id, buyer_customer_id must be set"
BEFORE_JOINING = "order is dated before its buyer joined"
BEFORE_CUSTOMER = "order is dated before its customer was created"
ONLY_RETURNS_REVERSE = "only a return names the order it reverses"
RETURN_NAMES_ORDER = "a return must name the order it reverses"
RETURN_OF_RETURN = "a return must reverse an order, not a return"
RETURN_OTHER_BUYER = "a return must have the same buyer as its order"
RETURN_BEFORE_ORDER = "a return is dated before the order it reverses"
RETURNS_TOO_MANY = "returns more units of this product than the order bought"


@dataclass
class Orders:
    ids: pa.Array
    country: pa.Array
    exponents: np.ndarray
    returns: np.ndarray  # row index of the order a return reverses, else -1
    rows: Rows
    is_return: np.ndarray
    from_customer: np.ndarray
    usable: bool = True


def check_orders(
    table: pa.Table,
    lines: LineNumbers,
    network: Network,
    customers: Customers,
    party_ids: pa.Array,
    problems: Problems,
    *,
    parties_usable: bool = True,
) -> Orders:
    report = reporter(ORDERS.name, lines, problems)
    ids = table["order_id"]
    check_ids(ids, "order_id", lines, report)
    kind = table["kind"]
    report(
        ~fields.matches(kind, fields.ORDER_KIND_PATTERN),
        "kind",
        "kind must be order, return or an order kind (e.g. subscription: a-z, 0-9, _)",
    )
    is_return = fields.to_numpy_bool(pc.equal(kind, "return"))
    plain = pc.or_(pc.equal(kind, "order"), pc.equal(kind, "return"))
    placed, bad_placed = fields.parse_date(table["placed_on"])
    report(bad_placed, "placed_on", "not a date (YYYY-MM-DD)")

    member_text, customer_text = table["buyer_member_id"], table["buyer_customer_id"]
    by_member, by_customer = ~fields.is_empty(member_text), ~fields.is_empty(customer_text)
    report(by_member == by_customer, "buyer_member_id", ONE_BUYER)
    member = check_reference(
        member_text,
        network.ids,
        "buyer_member_id",
        "member",
        report,
        optional=True,
        known=network.usable,
    )
    customer = check_reference(
        customer_text,
        customers.ids,
        "buyer_customer_id",
        "customer",
        report,
        optional=True,
        known=customers.usable,
    )
    joined = take(network.joined_on, member, np.iinfo(np.int32).min)
    report(~bad_placed & (placed < joined), "placed_on", BEFORE_JOINING)
    created = take(customers.created_on, customer, np.iinfo(np.int32).min)
    report(~bad_placed & (placed < created), "placed_on", BEFORE_CUSTOMER)

    report(
        ~fields.matches(table["country"], fields.COUNTRY_PATTERN), "country", "not a country code"
    )
    exponents, bad_currency = fields.currency_exponents(table["currency"])
    report(bad_currency, "currency", "not a currency code")
    party = check_reference(
        table["party_id"],
        party_ids,
        "party_id",
        "party",
        report,
        optional=True,
        known=parties_usable,
    )

    target_text = table["returns_order_id"]
    has_target = ~fields.is_empty(target_text)
    report(~is_return & has_target, "returns_order_id", ONLY_RETURNS_REVERSE)
    report(is_return & ~has_target, "returns_order_id", RETURN_NAMES_ORDER)
    target = check_reference(target_text, ids, "returns_order_id", "order", report, optional=True)
    target = np.where(is_return, target, -1)
    known = target >= 0
    safe = np.maximum(target, 0)
    report(known & is_return[safe], "returns_order_id", RETURN_OF_RETURN)
    same_buyer = (member == member[safe]) & (customer == customer[safe])
    report(known & ~same_buyer, "returns_order_id", RETURN_OTHER_BUYER)
    report(
        known & ~bad_placed & ~bad_placed[safe] & (placed < placed[safe]),
        "placed_on",
        RETURN_BEFORE_ORDER,
    )
    owner = take(customers.owner, customer, -1)
    placed_text = table["placed_on"]
    rows = Rows(
        "orders",
        {
            "id": np.arange(1, len(ids) + 1, dtype=np.int64),
            "order_id": ids,
            "kind": pc.if_else(pa.array(is_return), "return", "order"),
            "order_kind": pc.if_else(plain, pa.scalar(None, pa.string()), kind),
            "placed_on": table["placed_on"],
            "buyer_member_id": nullable_ids(member),
            "buyer_customer_id": nullable_ids(customer),
            "country": table["country"],
            "currency": table["currency"],
            "party_id": nullable_ids(party),
            "returns_order_id": nullable_ids(target),
            "credited_member_id": np.where(member >= 0, member, owner) + 1,
            "counts_on": pc.if_else(pa.array(known), placed_text.take(pa.array(safe)), placed_text),
        },
    )
    return Orders(ids, table["country"], exponents, target, rows, is_return, customer >= 0)


def check_order_lines(
    table: pa.Table, lines: LineNumbers, orders: Orders, catalogue: Catalogue, problems: Problems
) -> Rows:
    report = reporter(ORDER_LINES.name, lines, problems)
    order = check_reference(
        table["order_id"],
        orders.ids,
        "order_id",
        "order",
        report,
        optional=False,
        known=orders.usable,
    )
    line_no, bad_line_no = fields.parse_positive_int(table["line_no"])
    report(bad_line_no, "line_no", "line_no must be a whole number greater than zero")
    numbered = (order >= 0) & ~bad_line_no
    key = np.where(numbered, order * 1_000_000_007 + line_no, -1 - np.arange(order.size))
    report(duplicate_keys(key) >= 0, "line_no", "line_no repeats within its order")
    report(fields.bad_id(table["sku"]), "sku", ID_RULE)
    if len(orders.ids):
        country = orders.country.take(pa.array(np.maximum(order, 0)))
    else:
        country = pa.array([""] * table.num_rows, pa.string())
    product = lookup(joined_key(table["sku"], country), catalogue.keys)
    report(
        (order >= 0) & (product < 0) & catalogue.usable,
        "sku",
        lambda i: f"unknown product {table['sku'][i].as_py()!r} for country {country[i].as_py()!r}",
    )
    quantity, bad_quantity = fields.parse_positive_int(table["quantity"])
    report(bad_quantity, "quantity", "quantity must be a whole number greater than zero")
    exponents = take(orders.exponents, order, 2)
    unit_price, bad_price = fields.parse_money(table["unit_price"], exponents)
    report(
        bad_price & (order >= 0),
        "unit_price",
        "not an amount with exactly the order currency's minor digits",
    )
    volumes = {}
    for name in ("pv", "bv"):
        volumes[name], bad = fields.parse_points(table[name])
        report(bad, name, "not a volume (a number >= 0 with at most two decimals)")
    _check_returned_quantities(order, product, quantity, orders, lines, report, ~bad_quantity)
    return Rows(
        "order_lines",
        {
            "id": np.arange(1, table.num_rows + 1, dtype=np.int64),
            "order_id": order + 1,
            "line_no": line_no,
            "product_id": product + 1,
            "quantity": quantity,
            "unit_price": unit_price,
            "pv": volumes["pv"],
            "bv": volumes["bv"],
        },
    )


def _check_returned_quantities(
    order: np.ndarray,
    product: np.ndarray,
    quantity: np.ndarray,
    orders: Orders,
    lines: LineNumbers,
    report: Callable,
    good_quantity: np.ndarray,
) -> None:
    """A return gives back at most what its order bought, product by product."""
    usable = (order >= 0) & (product >= 0) & good_quantity
    if not usable.any():
        return
    reversed_order = np.where(usable, take(orders.returns, order, -1), -1)
    is_return_line = reversed_order >= 0
    reversed_anywhere = np.zeros(orders.returns.size, dtype=bool)
    reversed_anywhere[orders.returns[orders.returns >= 0]] = True
    is_order_line = (
        usable & (take(orders.returns, order, 0) < 0) & take(reversed_anywhere, order, False)
    )
    # Key both sides by (the original order, product).
    original = np.where(is_return_line, reversed_order, order)
    key = original * (product.max() + 1) + product
    counted = is_return_line | is_order_line
    groups, inverse = np.unique(key[counted], return_inverse=True)
    bought = group_sum(inverse, np.where(is_order_line[counted], quantity[counted], 0), groups.size)
    returned = group_sum(
        inverse, np.where(is_return_line[counted], quantity[counted], 0), groups.size
    )
    excess = np.zeros(order.size, dtype=bool)
    excess[np.flatnonzero(counted)] = (returned > bought)[inverse]
    report(excess & is_return_line, "quantity", RETURNS_TOO_MANY)


def add_order_totals(orders: Orders, line_rows: Rows, catalogue: Catalogue) -> None:
    """Store each order's totals (``order_rollup.order_totals``); the dataset is checked."""
    product = np.asarray(line_rows.columns["product_id"]) - 1
    products = catalogue.rows.columns
    margin = np.asarray(products["retail_price"]) - np.asarray(products["member_price"])
    lines = LineFacts(
        order=np.asarray(line_rows.columns["order_id"]) - 1,
        quantity=np.asarray(line_rows.columns["quantity"]),
        unit_price=np.asarray(line_rows.columns["unit_price"]),
        pv=np.asarray(line_rows.columns["pv"]),
        bv=np.asarray(line_rows.columns["bv"]),
        commissionable=np.asarray(products["commissionable"])[product],
        retail_margin=margin[product],
    )
    orders.rows.columns.update(order_totals(lines, orders.is_return, orders.from_customer))

"""Checks of customers, products, parties, orders and order lines against the network."""

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
    duplicates,
    group_sum,
    joined_key,
    lookup,
    nullable_ids,
    take,
)
from fairtree.dataset.network import Network
from fairtree.dataset.problems import LineNumbers, Problems
from fairtree.dataset.schema import CUSTOMERS, ORDER_LINES, ORDERS, PARTIES, PRODUCTS

Reason = str | Callable[[int], str]
ID_RULE = "id must be 1-64 characters of A-Z a-z 0-9 - _ ."


def _reporter(
    source: str, lines: LineNumbers, problems: Problems
) -> Callable[[np.ndarray, str, Reason], None]:
    def report(bad: np.ndarray, field: str, reason: Reason) -> None:
        problems.rows(source, lines, bad, field, reason)

    return report


def _check_ids(column: pa.Array, field: str, lines: LineNumbers, report: Callable) -> None:
    report(fields.bad_id(column), field, ID_RULE)
    first = duplicates(column)
    report(
        first >= 0,
        field,
        lambda i: f"duplicate {field} {column[i].as_py()!r} (first on line {lines(first[[i]])[0]})",
    )


def _check_reference(
    column: pa.Array,
    keys: pa.Array,
    field: str,
    what: str,
    report: Callable,
    *,
    optional: bool,
    known: bool = True,
) -> np.ndarray:
    """Row index in ``keys`` of each reference (-1 when empty); unknown ones reported.

    ``known=False`` means the referenced file could not be read: its problem is already
    reported, so every reference to it is not flagged again.
    """
    found = lookup(column, keys)
    present = ~fields.is_empty(column)
    if known:
        report(present & (found < 0), field, lambda i: f"unknown {what} {column[i].as_py()!r}")
    if not optional:
        report(~present, field, f"{field} is empty")
    return np.where(present, found, -1)


@dataclass
class Customers:
    ids: pa.Array
    owner: np.ndarray
    created_on: np.ndarray
    rows: Rows
    usable: bool = True


def check_customers(
    table: pa.Table, lines: LineNumbers, network: Network, problems: Problems
) -> Customers:
    report = _reporter(CUSTOMERS.name, lines, problems)
    ids = table["customer_id"]
    _check_ids(ids, "customer_id", lines, report)
    owner = _check_reference(
        table["member_id"],
        network.ids,
        "member_id",
        "member",
        report,
        optional=False,
        known=network.usable,
    )
    report(fields.is_empty(table["name"]), "name", "name is empty")
    report(
        ~fields.matches(table["country"], fields.COUNTRY_PATTERN), "country", "not a country code"
    )
    created, bad_created = fields.parse_date(table["created_on"])
    report(bad_created, "created_on", "not a date (YYYY-MM-DD)")
    rows = Rows(
        "customers",
        {
            "id": np.arange(1, len(ids) + 1, dtype=np.int64),
            "customer_id": ids,
            "member_id": owner + 1,
            "name": table["name"],
            "country": table["country"],
            "created_on": table["created_on"],
        },
    )
    return Customers(ids, owner, created, rows)


@dataclass
class Catalogue:
    keys: pa.Array  # sku + country
    rows: Rows
    usable: bool = True


def check_products(table: pa.Table, lines: LineNumbers, problems: Problems) -> Catalogue:
    report = _reporter(PRODUCTS.name, lines, problems)
    report(fields.bad_id(table["sku"]), "sku", ID_RULE)
    report(
        ~fields.matches(table["country"], fields.COUNTRY_PATTERN), "country", "not a country code"
    )
    keys = joined_key(table["sku"], table["country"])
    first = duplicates(keys)
    report(
        first >= 0,
        "sku",
        lambda i: f"(sku, country) repeats line {lines(first[[i]])[0]}",
    )
    report(fields.is_empty(table["name"]), "name", "name is empty")
    exponents, bad_currency = fields.currency_exponents(table["currency"])
    report(bad_currency, "currency", "not a currency code")
    columns: dict[str, np.ndarray | pa.Array] = {
        "id": np.arange(1, table.num_rows + 1, dtype=np.int64),
        "sku": table["sku"],
        "country": table["country"],
        "name": table["name"],
        "currency": table["currency"],
    }
    for name in ("retail_price", "member_price"):
        value, bad = fields.parse_money(table[name], exponents)
        report(bad & ~bad_currency, name, "not an amount with exactly the currency's minor digits")
        columns[name] = value
    for name in ("pv", "bv"):
        value, bad = fields.parse_points(table[name])
        report(bad, name, "not a volume (a number >= 0 with at most two decimals)")
        columns[name] = value
    commissionable, bad = fields.parse_bool(table["commissionable"])
    report(bad, "commissionable", "must be true or false")
    columns["commissionable"] = commissionable
    return Catalogue(keys, Rows("products", columns))


def check_parties(
    table: pa.Table,
    lines: LineNumbers,
    network: Network,
    customers: Customers,
    problems: Problems,
) -> tuple[pa.Array, Rows]:
    report = _reporter(PARTIES.name, lines, problems)
    ids = table["party_id"]
    _check_ids(ids, "party_id", lines, report)
    consultant = _check_reference(
        table["consultant_member_id"],
        network.ids,
        "consultant_member_id",
        "member",
        report,
        optional=False,
        known=network.usable,
    )
    host_customer = _check_reference(
        table["host_customer_id"],
        customers.ids,
        "host_customer_id",
        "customer",
        report,
        optional=True,
        known=customers.usable,
    )
    host_member = _check_reference(
        table["host_member_id"],
        network.ids,
        "host_member_id",
        "member",
        report,
        optional=True,
        known=network.usable,
    )
    report((host_customer >= 0) & (host_member >= 0), "host_member_id", "a party has one host")
    hosted_by_customer = (host_customer >= 0) & (consultant >= 0)
    foreign = hosted_by_customer & (take(customers.owner, host_customer, -1) != consultant)
    report(foreign, "host_customer_id", "host is not a customer of the consultant")
    _, bad_held = fields.parse_date(table["held_on"])
    report(bad_held, "held_on", "not a date (YYYY-MM-DD)")
    rows = Rows(
        "parties",
        {
            "id": np.arange(1, len(ids) + 1, dtype=np.int64),
            "party_id": ids,
            "consultant_member_id": consultant + 1,
            "host_customer_id": nullable_ids(host_customer),
            "host_member_id": nullable_ids(host_member),
            "held_on": table["held_on"],
        },
    )
    return ids, rows


@dataclass
class Orders:
    ids: pa.Array
    country: pa.Array
    exponents: np.ndarray
    returns: np.ndarray  # row index of the order a return reverses, else -1
    rows: Rows
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
    report = _reporter(ORDERS.name, lines, problems)
    ids = table["order_id"]
    _check_ids(ids, "order_id", lines, report)
    kind = table["kind"]
    report(fields.bad_enum(kind, ("order", "return")), "kind", "kind must be order or return")
    is_return = fields.to_numpy_bool(pc.equal(kind, "return"))
    placed, bad_placed = fields.parse_date(table["placed_on"])
    report(bad_placed, "placed_on", "not a date (YYYY-MM-DD)")

    member_text, customer_text = table["buyer_member_id"], table["buyer_customer_id"]
    by_member, by_customer = ~fields.is_empty(member_text), ~fields.is_empty(customer_text)
    report(
        by_member == by_customer,
        "buyer_member_id",
        "exactly one of buyer_member_id, buyer_customer_id must be set",
    )
    member = _check_reference(
        member_text,
        network.ids,
        "buyer_member_id",
        "member",
        report,
        optional=True,
        known=network.usable,
    )
    customer = _check_reference(
        customer_text,
        customers.ids,
        "buyer_customer_id",
        "customer",
        report,
        optional=True,
        known=customers.usable,
    )
    joined = take(network.joined_on, member, np.iinfo(np.int32).min)
    report(~bad_placed & (placed < joined), "placed_on", "order is dated before its buyer joined")
    created = take(customers.created_on, customer, np.iinfo(np.int32).min)
    report(
        ~bad_placed & (placed < created),
        "placed_on",
        "order is dated before its customer was created",
    )

    report(
        ~fields.matches(table["country"], fields.COUNTRY_PATTERN), "country", "not a country code"
    )
    exponents, bad_currency = fields.currency_exponents(table["currency"])
    report(bad_currency, "currency", "not a currency code")
    party = _check_reference(
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
    report(~is_return & has_target, "returns_order_id", "only a return names the order it reverses")
    report(is_return & ~has_target, "returns_order_id", "a return must name the order it reverses")
    target = _check_reference(target_text, ids, "returns_order_id", "order", report, optional=True)
    target = np.where(is_return, target, -1)
    known = target >= 0
    safe = np.maximum(target, 0)
    report(
        known & is_return[safe], "returns_order_id", "a return must reverse an order, not a return"
    )
    same_buyer = (member == member[safe]) & (customer == customer[safe])
    report(
        known & ~same_buyer, "returns_order_id", "a return must have the same buyer as its order"
    )
    report(
        known & ~bad_placed & ~bad_placed[safe] & (placed < placed[safe]),
        "placed_on",
        "a return is dated before the order it reverses",
    )
    rows = Rows(
        "orders",
        {
            "id": np.arange(1, len(ids) + 1, dtype=np.int64),
            "order_id": ids,
            "kind": kind,
            "placed_on": table["placed_on"],
            "buyer_member_id": nullable_ids(member),
            "buyer_customer_id": nullable_ids(customer),
            "country": table["country"],
            "currency": table["currency"],
            "party_id": nullable_ids(party),
            "returns_order_id": nullable_ids(target),
        },
    )
    return Orders(ids, table["country"], exponents, target, rows)


def check_order_lines(
    table: pa.Table, lines: LineNumbers, orders: Orders, catalogue: Catalogue, problems: Problems
) -> Rows:
    report = _reporter(ORDER_LINES.name, lines, problems)
    order = _check_reference(
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
    report(
        excess & is_return_line,
        "quantity",
        "returns more units of this product than the order bought",
    )

"""Checks of customers, products and parties against the network."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fairtree.dataset import fields
from fairtree.dataset.arrays import (
    Rows,
    duplicates,
    joined_key,
    nullable_ids,
    take,
)
from fairtree.dataset.checks import ID_RULE, check_ids, check_reference, reporter
from fairtree.dataset.network import Network
from fairtree.dataset.problems import LineNumbers, Problems
from fairtree.dataset.schema import CUSTOMERS, PARTIES, PRODUCTS


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
    report = reporter(CUSTOMERS.name, lines, problems)
    ids = table["customer_id"]
    check_ids(ids, "customer_id", lines, report)
    owner = check_reference(
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
    report = reporter(PRODUCTS.name, lines, problems)
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
    category = table["category"]
    report(
        ~fields.is_empty(category) & ~fields.matches(category, fields.ID_PATTERN),
        "category",
        "not a category (letters, digits, '.', '_', '-'; at most 64)",
    )
    columns["category"] = category
    return Catalogue(keys, Rows("products", columns))


def check_parties(
    table: pa.Table,
    lines: LineNumbers,
    network: Network,
    customers: Customers,
    problems: Problems,
) -> tuple[pa.Array, Rows]:
    report = reporter(PARTIES.name, lines, problems)
    ids = table["party_id"]
    check_ids(ids, "party_id", lines, report)
    consultant = check_reference(
        table["consultant_member_id"],
        network.ids,
        "consultant_member_id",
        "member",
        report,
        optional=False,
        known=network.usable,
    )
    host_customer = check_reference(
        table["host_customer_id"],
        customers.ids,
        "host_customer_id",
        "customer",
        report,
        optional=True,
        known=customers.usable,
    )
    host_member = check_reference(
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

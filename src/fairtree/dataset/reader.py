"""Read a dataset folder: parse and check every file, then either fail with every
problem found or return rows ready to load."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from fairtree.dataset import schema
from fairtree.dataset.arrays import Rows
from fairtree.dataset.csvio import read_csv
from fairtree.dataset.network import CompanySettings, Network, check_company, check_members
from fairtree.dataset.orders import add_order_totals, check_order_lines, check_orders
from fairtree.dataset.problems import LineNumbers, Problems
from fairtree.dataset.sales import Customers, check_customers, check_parties, check_products


@dataclass
class PlanText:
    text: str
    sha256: str


@dataclass
class ParsedDataset:
    """A checked dataset: the company, rows per table (in load order) and the plan."""

    company: CompanySettings
    tables: list[Rows]
    plan: PlanText | None
    first_day: int  # earliest joined_on (days since 1970), for the plan's effective date
    counts: dict[str, int] = field(default_factory=dict)


def _empty(spec: schema.FileSpec) -> tuple[pa.Table, LineNumbers]:
    table = pa.table({name: pa.array([], pa.string()) for name in spec.columns})
    return table, LineNumbers()


def read_dataset(folder: Path) -> ParsedDataset:
    """Parse and check ``folder``; raises DatasetError listing every problem found."""
    problems = Problems()
    if not folder.is_dir():
        problems.file(str(folder), "no such folder")
        problems.raise_if_any()
    loaded = {spec.name: read_csv(folder, spec, problems) for spec in schema.ALL_FILES}

    def get(spec: schema.FileSpec) -> tuple[pa.Table, LineNumbers]:
        return loaded[spec.name] or _empty(spec)

    company = None
    if loaded[schema.COMPANY.name] is not None:
        company = check_company(*get(schema.COMPANY), problems)

    def usable(spec: schema.FileSpec) -> bool:
        return loaded[spec.name] is not None or not spec.required

    network: Network = check_members(*get(schema.MEMBERS), company, problems)
    network.usable = usable(schema.MEMBERS)
    customers: Customers = check_customers(*get(schema.CUSTOMERS), network, problems)
    customers.usable = usable(schema.CUSTOMERS)
    catalogue = check_products(*get(schema.PRODUCTS), problems)
    catalogue.usable = usable(schema.PRODUCTS)
    party_ids, party_rows = check_parties(*get(schema.PARTIES), network, customers, problems)
    orders = check_orders(
        *get(schema.ORDERS),
        network,
        customers,
        party_ids,
        problems,
        parties_usable=usable(schema.PARTIES),
    )
    orders.usable = usable(schema.ORDERS)
    line_rows = check_order_lines(*get(schema.ORDER_LINES), orders, catalogue, problems)
    plan = _read_plan(folder, problems)
    problems.raise_if_any()
    add_order_totals(orders, line_rows, catalogue)
    assert company is not None  # a missing or bad company.csv is a problem raised above
    tables = [
        network.rows,
        customers.rows,
        catalogue.rows,
        party_rows,
        orders.rows,
        line_rows,
    ]
    first_day = int(network.joined_on.min()) if network.joined_on.size else 0
    return ParsedDataset(
        company,
        tables,
        plan,
        first_day,
        {rows.table: len(rows) for rows in tables},
    )


def _read_plan(folder: Path, problems: Problems) -> PlanText | None:
    path = folder / schema.PLAN_FILE
    if not path.is_file():
        return None
    data = path.read_bytes()
    if b"\x00" in data:
        problems.file(schema.PLAN_FILE, "contains a NUL byte")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        line = data[: bad.start].count(b"\n") + 1
        problems.file(schema.PLAN_FILE, "not valid UTF-8", location=f"line {line}")
        return None
    return PlanText(text, hashlib.sha256(data).hexdigest())


def days_to_iso(day: int) -> str:
    return str(np.datetime64(day, "D"))

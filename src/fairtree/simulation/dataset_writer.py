"""Write a :class:`SyntheticCompany` as a dataset folder in canonical form.

Header names and order are exactly those of docs/dataset.md; rows are in creation order;
money has its currency's minor digits and volumes two decimals. The files are written to
a temporary folder and moved into place at the end, so a failure leaves nothing half
written.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.simulation import csv_columns as col
from fairtree.simulation.company import SyntheticCompany, id_width
from fairtree.simulation.plan_text import plan_text

COMPANY_COLUMNS = (
    "company_id", "name", "currency", "country", "period_kind", "placement",
    "matrix_width", "binary_rule",
)  # fmt: skip
MEMBER_COLUMNS = (
    "member_id", "sponsor_id", "placement_parent_id", "placement_position", "joined_on",
    "status", "status_since", "country", "currency", "display_name", "identity_verified",
)  # fmt: skip
CUSTOMER_COLUMNS = ("customer_id", "member_id", "name", "country", "created_on")
PRODUCT_COLUMNS = (
    "sku", "country", "name", "currency", "retail_price", "member_price", "pv", "bv",
    "commissionable", "category",
)  # fmt: skip
ORDER_COLUMNS = (
    "order_id", "kind", "placed_on", "buyer_member_id", "buyer_customer_id", "country",
    "currency", "party_id", "returns_order_id",
)  # fmt: skip
ORDER_LINE_COLUMNS = ("order_id", "line_no", "sku", "quantity", "unit_price", "pv", "bv")
PARTY_COLUMNS = (
    "party_id", "consultant_member_id", "host_customer_id", "host_member_id", "held_on",
)  # fmt: skip

DATASET_FILES = (
    "company.csv", "members.csv", "customers.csv", "products.csv", "orders.csv",
    "order_lines.csv", "parties.csv", "plan.yaml",
)  # fmt: skip


def _position_labels(company: SyntheticCompany) -> np.ndarray:
    position = company.members.placement_position.astype(np.int64)
    if company.company.placement == "binary":
        labels = np.array(["", "L", "R"])
        return labels[np.clip(position + 1, 0, 2)]
    return np.where(position > 0, position.astype(np.str_), "")


def _write_company(company: SyntheticCompany, folder: Path) -> None:
    settings = company.company
    row = [
        settings.company_id,
        settings.name,
        settings.currency,
        settings.country,
        settings.period_kind,
        settings.placement,
        "" if settings.matrix_width is None else str(settings.matrix_width),
        settings.binary_rule or "",
    ]
    formatters = [(lambda rows, value=value: col.text(np.array([value])[rows])) for value in row]
    col.write_csv(folder / "company.csv", COMPANY_COLUMNS, 1, formatters)


def _write_members(company: SyntheticCompany, folder: Path) -> None:
    m = company.members
    width = id_width(len(m), 7)
    positions = _position_labels(company)
    col.write_csv(
        folder / "members.csv",
        MEMBER_COLUMNS,
        len(m),
        [
            lambda r: col.ids("M", np.arange(r.start, r.stop), width),
            lambda r: col.ids("M", m.sponsor[r], width),
            lambda r: col.ids("M", m.placement_parent[r], width),
            lambda r: col.plain(positions[r]),
            lambda r: col.dates(m.joined_on[r]),
            lambda r: col.plain(m.status[r]),
            lambda r: col.dates(m.status_since[r]),
            lambda r: col.plain(m.country[r]),
            lambda r: col.plain(m.currency[r]),
            lambda r: col.text(m.display_name[r]),
            lambda r: col.booleans(m.identity_verified[r]),
        ],
    )


def _write_customers(company: SyntheticCompany, folder: Path) -> None:
    c = company.customers
    width, member_width = id_width(len(c), 7), id_width(len(company.members), 7)
    col.write_csv(
        folder / "customers.csv",
        CUSTOMER_COLUMNS,
        len(c),
        [
            lambda r: col.ids("C", np.arange(r.start, r.stop), width),
            lambda r: col.ids("M", c.owner[r], member_width),
            lambda r: col.text(c.name[r]),
            lambda r: col.plain(c.country[r]),
            lambda r: col.dates(c.created_on[r]),
        ],
    )


def _write_products(company: SyntheticCompany, folder: Path) -> None:
    p = company.products
    col.write_csv(
        folder / "products.csv",
        PRODUCT_COLUMNS,
        len(p),
        [
            lambda r: col.plain(p.sku[r]),
            lambda r: col.plain(p.country[r]),
            lambda r: col.text(p.name[r]),
            lambda r: col.plain(p.currency[r]),
            lambda r: col.money(p.retail_price[r], p.currency[r]),
            lambda r: col.money(p.member_price[r], p.currency[r]),
            lambda r: col.points(p.pv[r]),
            lambda r: col.points(p.bv[r]),
            lambda r: col.booleans(p.commissionable[r]),
            lambda r: col.plain(p.category[r]),
        ],
    )


def _write_orders(company: SyntheticCompany, folder: Path) -> None:
    o = company.orders
    order_width = id_width(len(o), 8)
    member_width = id_width(len(company.members), 7)
    customer_width = id_width(len(company.customers), 7)
    party_width = id_width(len(company.parties), 6)
    col.write_csv(
        folder / "orders.csv",
        ORDER_COLUMNS,
        len(o),
        [
            lambda r: col.ids("O", np.arange(r.start, r.stop), order_width),
            lambda r: col.plain(o.kind[r]),
            lambda r: col.dates(o.placed_on[r]),
            lambda r: col.ids("M", o.buyer_member[r], member_width),
            lambda r: col.ids("C", o.buyer_customer[r], customer_width),
            lambda r: col.plain(o.country[r]),
            lambda r: col.plain(o.currency[r]),
            lambda r: col.ids("P", o.party[r], party_width),
            lambda r: col.ids("O", o.returns_order[r], order_width),
        ],
    )


def _write_order_lines(company: SyntheticCompany, folder: Path) -> None:
    lines = company.order_lines
    order_width = id_width(len(company.orders), 8)
    currency = company.orders.currency
    sku = pa.array(company.products.sku, type=pa.string())
    col.write_csv(
        folder / "order_lines.csv",
        ORDER_LINE_COLUMNS,
        len(lines),
        [
            lambda r: col.ids("O", lines.order[r], order_width),
            lambda r: col.integers(lines.line_no[r]),
            lambda r: pc.take(sku, pa.array(lines.sku[r])),
            lambda r: col.integers(lines.quantity[r]),
            lambda r: col.money(lines.unit_price[r], currency[lines.order[r]]),
            lambda r: col.points(lines.pv[r]),
            lambda r: col.points(lines.bv[r]),
        ],
    )


def _write_parties(company: SyntheticCompany, folder: Path) -> None:
    p = company.parties
    width = id_width(len(p), 6)
    member_width = id_width(len(company.members), 7)
    customer_width = id_width(len(company.customers), 7)
    col.write_csv(
        folder / "parties.csv",
        PARTY_COLUMNS,
        len(p),
        [
            lambda r: col.ids("P", np.arange(r.start, r.stop), width),
            lambda r: col.ids("M", p.consultant[r], member_width),
            lambda r: col.ids("C", p.host_customer[r], customer_width),
            lambda r: col.ids("M", p.host_member[r], member_width),
            lambda r: col.dates(p.held_on[r]),
        ],
    )


WRITERS = (
    _write_company,
    _write_members,
    _write_customers,
    _write_products,
    _write_orders,
    _write_order_lines,
    _write_parties,
)


def write_dataset(
    company: SyntheticCompany,
    outdir: str | Path,
    on_file: Callable[[str], None] | None = None,
) -> Path:
    """Write the dataset folder ``outdir`` (created; refused if it holds other files).

    ``on_file`` is called with each file name once it is written (for progress bars).
    """
    done = on_file or (lambda _name: None)
    target = Path(outdir)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty; refusing to overwrite a dataset")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.partial-{os.getpid()}-{secrets.token_hex(4)}")
    staging.mkdir()  # default permissions (umask), unlike tempfile.mkdtemp's 0700
    try:
        for name, write in zip(DATASET_FILES, WRITERS, strict=False):
            write(company, staging)
            done(name)
        (staging / "plan.yaml").write_text(plan_text(company), encoding="utf-8", newline="\n")
        done("plan.yaml")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target

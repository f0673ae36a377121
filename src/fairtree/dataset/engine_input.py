"""Engine input straight from a dataset folder (docs/dataset.md), without the store.

Reads the CSV files as text columns (pyarrow), resolves ids to indices and rolls the
order lines up per order. It checks what the engine relies on (files and columns
present, every referenced id known, numbers well formed) and raises DatasetError
naming file, line and field; the full dataset rules are ``fairtree import``'s job.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.dataset import fields, schema
from fairtree.dataset.csvio import read_csv
from fairtree.dataset.problems import LineNumbers, Problems
from fairtree.engine.inputs import EngineInput, Members, Parties, status_codes
from fairtree.engine.order_rollup import LineFacts, lines_by_product, rollup_orders

_POSITIONS = {"": -1, "L": 0, "R": 1}


class _Tables:
    def __init__(self, folder: Path, problems: Problems) -> None:
        self.folder, self.problems = folder, problems
        self.loaded: dict[str, tuple[pa.Table, LineNumbers]] = {}
        for spec in (schema.MEMBERS, schema.CUSTOMERS, schema.PRODUCTS, schema.ORDERS):
            self._read(spec)
        self._read(schema.ORDER_LINES)
        self._read(schema.PARTIES)

    def _read(self, spec: schema.FileSpec) -> None:
        result = read_csv(self.folder, spec, self.problems)
        if result is None:
            empty = pa.table({name: pa.array([], pa.string()) for name in spec.columns})
            result = (empty, LineNumbers())
        self.loaded[spec.name] = result

    def column(self, spec: schema.FileSpec, name: str) -> pa.Array:
        return self.loaded[spec.name][0].column(name).combine_chunks()

    def index(
        self, spec: schema.FileSpec, name: str, keys: pa.Array, what: str, optional: bool
    ) -> np.ndarray:
        """Row index of each id in ``keys`` (-1 when empty and optional); unknown ids noted."""
        values = self.column(spec, name)
        found = pc.index_in(values, value_set=keys)
        index = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        empty = fields.is_empty(values)
        bad = (index < 0) & ~(empty & optional)
        self.flag(spec, bad, name, f"unknown {what}")
        return index

    def flag(self, spec: schema.FileSpec, bad: np.ndarray, field: str, reason: str) -> None:
        if bad.any():
            lines = self.loaded[spec.name][1](np.flatnonzero(bad))
            for line in lines[:20]:
                self.problems.file(spec.name, reason, location=f"line {int(line)}", field=field)


def _dates(tables: _Tables, spec: schema.FileSpec, name: str) -> np.ndarray:
    days, bad = fields.parse_date(tables.column(spec, name))
    tables.flag(spec, bad, name, "not a date YYYY-MM-DD")
    return days.astype("datetime64[D]")


def _points(tables: _Tables, spec: schema.FileSpec, name: str) -> np.ndarray:
    values, bad = fields.parse_points(tables.column(spec, name))
    tables.flag(spec, bad, name, "not a volume with at most two decimals")
    return values


def _money(tables: _Tables, spec: schema.FileSpec, name: str, exponents: np.ndarray) -> np.ndarray:
    values, bad = fields.parse_money(tables.column(spec, name), exponents)
    tables.flag(spec, bad, name, "not an amount with the currency's decimals")
    return values


def load_dataset_input(folder: Path | str) -> EngineInput:
    """EngineInput of every member and order in the dataset folder."""
    folder = Path(folder)
    problems = Problems()
    if not folder.is_dir():
        problems.file(str(folder), "no such folder")
        problems.raise_if_any()
    t = _Tables(folder, problems)
    problems.raise_if_any()
    M, C, P, ORD, L, Y = (
        schema.MEMBERS,
        schema.CUSTOMERS,
        schema.PRODUCTS,
        schema.ORDERS,
        schema.ORDER_LINES,
        schema.PARTIES,
    )
    member_ids = t.column(M, "member_id")
    position_text = t.column(M, "placement_position").to_numpy(zero_copy_only=False)
    positions = np.array(
        [_POSITIONS.get(p, int(p) if p.isdigit() else -2) for p in np.unique(position_text)]
    )
    position = positions[np.searchsorted(np.unique(position_text), position_text)]
    t.flag(M, position < -1, "placement_position", "not L, R or a matrix slot")
    members = Members(
        ids=member_ids.to_numpy(zero_copy_only=False).astype(object),
        sponsor=t.index(M, "sponsor_id", member_ids, "sponsor", optional=True),
        joined_on=_dates(t, M, "joined_on"),
        status=status_codes(t.column(M, "status").to_numpy(zero_copy_only=False)),
        placement_parent=t.index(M, "placement_parent_id", member_ids, "member", optional=True),
        placement_position=position.astype(np.int8),
    )
    t.flag(M, members.status < 0, "status", "unknown status")
    customer_ids = t.column(C, "customer_id")
    owner = t.index(C, "member_id", member_ids, "member", optional=False)
    order_ids = t.column(ORD, "order_id")
    party_ids = t.column(Y, "party_id")
    product_key = pc.binary_join_element_wise(t.column(P, "sku"), t.column(P, "country"), "|")
    order_row = t.index(L, "order_id", order_ids, "order", optional=False)
    order_country = pc.take(t.column(ORD, "country"), pa.array(np.maximum(order_row, 0)))
    line_key = pc.binary_join_element_wise(t.column(L, "sku"), order_country, "|")
    product = pc.fill_null(pc.index_in(line_key, value_set=product_key), -1).to_numpy(
        zero_copy_only=False
    )
    t.flag(L, product < 0, "sku", "no product row for this sku in the order's country")
    product = np.maximum(product, 0)
    product_exp, _ = fields.currency_exponents(t.column(P, "currency"))
    order_exp, _ = fields.currency_exponents(t.column(ORD, "currency"))
    quantity, bad_quantity = fields.parse_positive_int(t.column(L, "quantity"))
    t.flag(L, bad_quantity, "quantity", "not a whole number above zero")
    commissionable, _ = fields.parse_bool(t.column(P, "commissionable"))
    order_kind = t.column(ORD, "kind").to_numpy(zero_copy_only=False)
    orders_placed = _dates(t, ORD, "placed_on")
    buyer_member = t.index(ORD, "buyer_member_id", member_ids, "member", optional=True)
    buyer_customer = t.index(ORD, "buyer_customer_id", customer_ids, "customer", optional=True)
    party = t.index(ORD, "party_id", party_ids, "party", optional=True)
    retail = _money(t, P, "retail_price", product_exp)
    member_price = _money(t, P, "member_price", product_exp)
    line_price = _money(t, L, "unit_price", order_exp[np.maximum(order_row, 0)])
    line_pv, line_bv = _points(t, L, "pv"), _points(t, L, "bv")
    consultant = t.index(Y, "consultant_member_id", member_ids, "member", optional=False)
    host = t.index(Y, "host_member_id", member_ids, "member", optional=True)
    held_on = _dates(t, Y, "held_on")
    problems.raise_if_any()
    orders = rollup_orders(
        order_ids=order_ids.to_numpy(zero_copy_only=False).astype(object),
        buyer_member=buyer_member,
        buyer_customer=buyer_customer,
        customer_owner=owner,
        is_return=order_kind == "return",
        placed_on=orders_placed,
        party=party,
        line_order=order_row,
        quantity=quantity,
        unit_price=line_price,
        line_pv=line_pv,
        line_bv=line_bv,
        commissionable=commissionable[product],
        retail_price=retail[product],
        member_price=member_price[product],
    )
    lines = LineFacts(
        order=order_row,
        quantity=quantity.astype(np.int64),
        unit_price=line_price,
        pv=line_pv,
        bv=line_bv,
        commissionable=commissionable[product],
        retail_margin=np.zeros(order_row.shape[0], dtype=np.int64),
    )
    orders = dataclasses.replace(
        orders,
        kind=order_kind.astype(object),
        lines=lines_by_product(
            lines,
            product,
            order_kind == "return",
            t.column(P, "sku").to_numpy(zero_copy_only=False).astype(object),
            t.column(P, "category").to_numpy(zero_copy_only=False).astype(object),
        ),
    )
    parties = Parties(
        ids=party_ids.to_numpy(zero_copy_only=False).astype(object),
        consultant=consultant,
        host_member=host,
        held_on=held_on,
        host_customer=t.column(Y, "host_customer_id").to_numpy(zero_copy_only=False).astype(object),
    )
    return EngineInput(members, orders, parties)

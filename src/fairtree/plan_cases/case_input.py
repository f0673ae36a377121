"""Turn a plan-test case into engine input (ids -> indices, points -> hundredths)."""

from __future__ import annotations

import numpy as np

from fairtree.engine.inputs import (
    STATUS_CODES,
    CarryState,
    EngineInput,
    Members,
    OrderLines,
    Orders,
    Parties,
)
from fairtree.errors import PlanError, Problem, UnknownMemberError
from fairtree.money import parse_amount
from fairtree.periods import Period
from fairtree.plan_cases.case_format import Case
from fairtree.plans.schema import Plan

_POSITIONS = {"L": 0, "R": 1}


def _index(ids: dict[str, int], name: str | None, what: str) -> int:
    if name is None:
        return -1
    if name not in ids:
        raise UnknownMemberError(f"{what} names unknown member {name!r}")
    return ids[name]


def _position(text: str | None) -> int:
    if text is None:
        return -1
    return _POSITIONS[text] if text in _POSITIONS else int(text)


def _party(ids: dict[str, int], name: str | None, what: str) -> int:
    if name is None:
        return -1
    if name not in ids:
        raise PlanError([Problem("case", what, "party", f"names unknown party {name!r}")])
    return ids[name]


def _signed_volume(hundredths: int, is_return: bool) -> int:
    return -hundredths if is_return else hundredths


def _order_lines(case: Case, signs: list[int]) -> OrderLines | None:
    """The orders' lines by product (None when no order lists lines)."""
    products = {p.id: i for i, p in enumerate(case.products)}
    order, product, pv, bv = [], [], [], []
    for row, (o, sign) in enumerate(zip(case.orders, signs, strict=True)):
        for line in o.lines:
            if line.product not in products:
                where = f"orders[{row}].lines.product"
                raise PlanError([Problem("case", where, "product", f"unknown {line.product!r}")])
            order.append(row)
            product.append(products[line.product])
            pv.append(sign * line.pv)
            bv.append(sign * line.bv)
    if not order:
        return None
    return OrderLines(
        order=np.array(order, dtype=np.int64),
        product=np.array(product, dtype=np.int32),
        pv=np.array(pv, dtype=np.int64),
        bv=np.array(bv, dtype=np.int64),
        product_ids=np.array([p.id for p in case.products], dtype=object),
        product_category=np.array([p.category for p in case.products], dtype=object),
    )


def case_input(case: Case, plan: Plan) -> EngineInput:
    ids = {m.id: i for i, m in enumerate(case.members)}
    period = Period.parse(case.period)
    members = Members(
        ids=np.array([m.id for m in case.members], dtype=object),
        sponsor=np.array(
            [_index(ids, m.sponsor, f"member {m.id} sponsor") for m in case.members], dtype=np.int64
        ),
        joined_on=np.array([m.joined for m in case.members], dtype="datetime64[D]"),
        status=np.array([STATUS_CODES[m.status] for m in case.members], dtype=np.int8),
        placement_parent=np.array(
            [_index(ids, m.placement_parent, f"member {m.id} placement") for m in case.members],
            dtype=np.int64,
        ),
        placement_position=np.array(
            [_position(m.placement_position) for m in case.members], dtype=np.int8
        ),
    )
    party_ids = {p.id: i for i, p in enumerate(case.parties)}
    rows = case.orders

    def money(value: object, sign: int) -> int:
        return sign * parse_amount(str(value), plan.currency)

    signs = [-1 if o.kind == "return" else 1 for o in rows]
    orders = Orders(
        ids=np.array([o.id or f"order{i + 1}" for i, o in enumerate(rows)], dtype=object),
        buyer=np.array(
            [_index(ids, o.buyer or o.customer_of, f"order {i + 1}") for i, o in enumerate(rows)],
            dtype=np.int64,
        ),
        from_customer=np.array([o.customer_of is not None for o in rows], dtype=bool),
        placed_on=np.array([o.date or period.start for o in rows], dtype="datetime64[D]"),
        pv=np.array(
            [_signed_volume(o.total_pv, s < 0) for o, s in zip(rows, signs, strict=True)],
            dtype=np.int64,
        ),
        bv=np.array(
            [_signed_volume(o.total_bv, s < 0) for o, s in zip(rows, signs, strict=True)],
            dtype=np.int64,
        ),
        sales=np.array(
            [money(o.sales, s) for o, s in zip(rows, signs, strict=True)], dtype=np.int64
        ),
        noncommissionable_sales=np.array(
            [money(o.noncommissionable_sales, s) for o, s in zip(rows, signs, strict=True)],
            dtype=np.int64,
        ),
        retail_margin=np.array(
            [money(o.retail_margin, s) for o, s in zip(rows, signs, strict=True)], dtype=np.int64
        ),
        party=np.array(
            [_party(party_ids, o.party, f"order {o.id or i + 1}") for i, o in enumerate(rows)],
            dtype=np.int64,
        ),
        kind=np.array([o.kind for o in rows], dtype=object),
        lines=_order_lines(case, signs),
    )
    parties = Parties(
        ids=np.array([p.id for p in case.parties], dtype=object),
        consultant=np.array(
            [_index(ids, p.consultant, f"party {p.id}") for p in case.parties], dtype=np.int64
        ),
        host_member=np.array(
            [_index(ids, p.host, f"party {p.id} host") for p in case.parties], dtype=np.int64
        ),
        held_on=np.array([p.held_on or period.start for p in case.parties], dtype="datetime64[D]"),
        host_customer=np.array([p.host_customer or "" for p in case.parties], dtype=object),
    )
    highest = np.zeros(len(case.members), dtype=np.int16)
    for name, rank in case.carry_in.highest_rank.items():
        highest[_index(ids, name, "carry_in.highest_rank")] = plan.rank_index(rank)
    values = {}
    for key, per_member in case.carry_in.values.items():
        array = np.zeros(len(case.members), dtype=np.int64)
        for name, amount in per_member.items():
            array[_index(ids, name, f"carry_in.values.{key}")] = amount
        values[key] = array
    return EngineInput(members, orders, parties, CarryState(highest, values))

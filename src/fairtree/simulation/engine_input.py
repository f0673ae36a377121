"""Engine input from a synthetic company (fairtree.simulation), without files."""

from __future__ import annotations

import dataclasses

import numpy as np

from fairtree.engine.inputs import EngineInput, Members, Parties, status_codes
from fairtree.engine.order_rollup import LineFacts, lines_by_product, rollup_orders
from fairtree.simulation.company import SyntheticCompany


def company_input(company: SyntheticCompany) -> EngineInput:
    m, o, lines, products = company.members, company.orders, company.order_lines, company.products
    members = Members(
        ids=m.member_id(np.arange(len(m))),
        sponsor=m.sponsor.astype(np.int64),
        joined_on=m.joined_on,
        status=status_codes(m.status),
        placement_parent=m.placement_parent.astype(np.int64),
        placement_position=m.placement_position.astype(np.int8),
    )
    orders = rollup_orders(
        order_ids=o.order_id(np.arange(len(o))),
        buyer_member=o.buyer_member,
        buyer_customer=o.buyer_customer,
        customer_owner=company.customers.owner,
        is_return=o.kind == "return",
        placed_on=o.placed_on,
        party=o.party,
        line_order=lines.order,
        quantity=lines.quantity,
        unit_price=lines.unit_price,
        line_pv=lines.pv,
        line_bv=lines.bv,
        commissionable=products.commissionable[lines.sku],
        retail_price=products.retail_price[lines.sku],
        member_price=products.member_price[lines.sku],
    )
    facts = LineFacts(
        order=lines.order.astype(np.int64),
        quantity=lines.quantity.astype(np.int64),
        unit_price=lines.unit_price,
        pv=lines.pv,
        bv=lines.bv,
        commissionable=products.commissionable[lines.sku],
        retail_margin=np.zeros(lines.order.shape[0], dtype=np.int64),
    )
    by_product = lines_by_product(
        facts,
        lines.sku,
        o.kind == "return",
        products.sku.astype(object),
        products.category.astype(object),
    )
    orders = dataclasses.replace(orders, lines=by_product)
    p = company.parties
    parties = Parties(
        ids=p.party_id(np.arange(len(p))),
        consultant=p.consultant,
        host_member=p.host_member,
        held_on=p.held_on,
        host_customer=np.where(
            p.host_customer >= 0,
            company.customers.customer_id(np.maximum(p.host_customer, 0)),
            "",
        ).astype(object),
    )
    return EngineInput(members, orders, parties)

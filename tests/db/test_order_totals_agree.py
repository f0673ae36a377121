"""Two roads to the same engine orders: totals stored on each order at import and read by
the close's loader, against the totals rolled up from the dataset's lines in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.dataset.engine_input import load_dataset_input
from fairtree.periods import Period
from fairtree.services.datasets import import_dataset
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.models import Order
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts

FIGURES = ("pv", "bv", "sales", "noncommissionable_sales", "retail_margin", "from_customer")


def _by_order(orders, members, parties) -> dict[str, tuple]:
    party_names = parties.ids if parties is not None else np.zeros(0, dtype=object)
    out = {}
    for row, order_id in enumerate(orders.ids):
        party = int(orders.party[row])
        out[str(order_id)] = (
            str(members.ids[orders.buyer[row]]),
            *(int(getattr(orders, name)[row]) for name in FIGURES),
            str(party_names[party]) if party >= 0 else None,
        )
    return out


def test_the_loader_reads_what_the_lines_add_up_to(session: Session, tmp_path: Path) -> None:
    company = generate(600, 4, seed=5, placement="binary")
    source = write_dataset(company, tmp_path / "source")
    import_dataset(session, source)
    whole = load_dataset_input(source)
    expected = _by_order(whole.orders, whole.members, whole.parties)
    kind = {order_id: k for order_id, k in session.execute(select(Order.order_id, Order.kind))}
    loaded: dict[str, tuple] = {}
    for month in ("2026-01", "2026-02", "2026-03", "2026-04"):
        inputs = load_period_facts(session, Period.parse(month)).inputs
        found = _by_order(inputs.orders, inputs.members, inputs.parties)
        assert not set(found) & set(loaded), "an order loaded in two periods"
        loaded.update(found)
    assert set(loaded) == set(expected)  # every order in exactly one period
    returns = [order for order, k in kind.items() if k == "return"]
    assert returns, "the synthetic company has returns"
    assert sum(1 for k in kind.values() if k == "order") > 1000
    assert any(figures[6] for figures in expected.values()), "and customer orders"
    for order_id, figures in expected.items():
        if kind[order_id] == "return" and figures[-1] is None:
            # A return without a party of its own is loaded with its order's party.
            assert loaded[order_id][:-1] == figures[:-1], order_id
        else:
            assert loaded[order_id] == figures, order_id

"""Order ids of a store-loaded period are read when an explanation asks for them: by row
or by rows, in the order asked, once each, and the same as the orders table holds."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import event
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.store.repositories.bulk import engine_arrays, order_names
from tests.factories import post_order, seed_company


def test_names_are_read_on_demand_in_the_order_asked(session: Session, monkeypatch) -> None:
    seed_company(session)
    post_order(session, "O-A2", "A", date(2026, 3, 20), "5", "5")
    post_order(session, "R-A2", "A", date(2026, 3, 21), "5", "5", returns="O-A2")
    orders = engine_arrays.load_period_facts(session, Period.parse("2026-03")).inputs.orders
    names = orders.ids
    assert isinstance(names, order_names.StoredOrderNames)
    monkeypatch.setattr(order_names, "_BATCH", 2)  # several IN lists for one request
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if "order_id" in statement and "FROM orders" in statement:
            statements.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", count)
    try:
        assert names[1] == "O-B"
        assert orders.names(np.array([4, 0, 2, 4])) == ("O-A2", "O-A", "O-C", "O-A2")
        assert len(statements) == 1 + 2  # one for row 1, then rows 4, 0, 2 in two batches
        assert orders.names(np.array([0, 1])) == ("O-A", "O-B")  # known: no read
        assert len(statements) == 3
        assert list(names) == ["O-A", "O-B", "O-C", "O-D", "O-A2", "R-A2"]
        assert orders.names(np.array([], dtype=np.int64)) == ()
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", count)
    assert len(names) == len(orders) == 6

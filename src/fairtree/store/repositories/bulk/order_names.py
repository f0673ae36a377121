"""The external ids of a loaded period's orders, read only when something asks.

A close never names an order: only explanations do (which orders a member's pay came
from), and they name a few. Loading 5,000,000 id strings with every close would cost
the client more than all the numbers together, so the loader hands the engine this
stand-in for ``Orders.ids``: it indexes like an array and reads the names it is asked
for, a batch per call, remembering them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.store.models import Order

_BATCH = 5_000  # ids per IN list


class StoredOrderNames:
    """``ids[row]`` is the order id of row ``row``; ``ids[rows]`` an array of them."""

    def __init__(self, session: Session, order_db_ids: np.ndarray) -> None:
        self._session = session
        self._db_ids = order_db_ids
        self._known: dict[int, str] = {}

    def __len__(self) -> int:
        return int(self._db_ids.size)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names(self._db_ids).tolist())

    def __getitem__(self, rows: Any) -> Any:
        wanted = self._db_ids[rows]
        if np.ndim(wanted) == 0:
            return self._names(np.array([wanted]))[0]
        return self._names(np.asarray(wanted))

    def _names(self, db_ids: np.ndarray) -> np.ndarray:
        missing = [int(i) for i in np.unique(db_ids) if int(i) not in self._known]
        for start in range(0, len(missing), _BATCH):
            batch = missing[start : start + _BATCH]
            rows = self._session.execute(
                select(Order.id, Order.order_id).where(Order.id.in_(batch))
            )
            self._known.update((int(i), str(name)) for i, name in rows)
        return np.array([self._known[int(i)] for i in db_ids], dtype=object)

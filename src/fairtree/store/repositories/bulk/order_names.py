"""The external ids of a loaded period's orders, read only when something asks.

A close never names an order: only explanations do (which orders a member's pay came
from), and they name a few. Loading 5,000,000 id strings with every close would cost
the client more than all the numbers together, so the loader hands the engine this
stand-in for ``Orders.ids``: it indexes like an array and reads the names it is asked
for, a batch per call, remembering them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

_BATCH = 100_000  # ids per query, passed as one array (PostgreSQL) or JSON text (SQLite)
_BY_IDS = {
    "postgresql": "SELECT id, order_id FROM orders WHERE id = ANY(:ids)",
    "sqlite": "SELECT id, order_id FROM orders WHERE id IN (SELECT value FROM json_each(:ids))",
}


class StoredOrderNames:
    """``ids[row]`` is the order id of row ``row``; ``ids[rows]`` an array of them."""

    def __init__(self, session: Session, order_db_ids: np.ndarray) -> None:
        self._session = session
        self._db_ids = order_db_ids
        self._known_ids = np.zeros(0, dtype=np.int64)  # sorted
        self._known_names = np.zeros(0, dtype=object)

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
        db_ids = np.asarray(db_ids, dtype=np.int64)
        if db_ids.size == 0:
            return np.zeros(0, dtype=object)
        missing = np.setdiff1d(db_ids, self._known_ids)
        if missing.size:
            self._remember(missing)
        where = np.searchsorted(self._known_ids, db_ids)
        return self._known_names[where]

    def _remember(self, missing: np.ndarray) -> None:
        dialect = self._session.get_bind().dialect.name
        found_ids: list[int] = []
        found_names: list[str] = []
        for start in range(0, missing.size, _BATCH):
            batch = missing[start : start + _BATCH].tolist()
            # one bound value per query: an IN list of thousands of placeholders costs
            # more to build and parse than the lookup itself
            ids: Any = batch if dialect == "postgresql" else json.dumps(batch)
            for i, name in self._session.execute(text(_BY_IDS[dialect]), {"ids": ids}):
                found_ids.append(int(i))
                found_names.append(str(name))
        if len(found_ids) != missing.size:
            absent = np.setdiff1d(missing, np.array(found_ids, dtype=np.int64))
            raise KeyError(f"orders {absent[:5].tolist()} are not stored")
        ids_all = np.concatenate([self._known_ids, np.array(found_ids, dtype=np.int64)])
        names_all = np.concatenate([self._known_names, np.array(found_names, dtype=object)])
        order = np.argsort(ids_all, kind="stable")
        self._known_ids, self._known_names = ids_all[order], names_all[order]

"""A close read by several connections at once equals the same close read by one: the
same engine arrays for every period of a synthetic company (returns, customers'
orders, parties, a binary placement), and the same lines to the digest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.services.commissions.close import close_period
from fairtree.services.datasets import import_dataset
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.repositories.bulk import pg_read as pg_bulk_read
from fairtree.store.repositories.bulk.engine_arrays import PeriodFacts, load_period_facts

pytestmark = pytest.mark.postgres
MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04")


@pytest.fixture
def company(committing_engine: Engine, tmp_path: Path) -> Engine:
    source = write_dataset(generate(600, 4, seed=5, placement="binary"), tmp_path / "source")
    with Session(committing_engine) as session, session.begin():
        import_dataset(session, source)
    committing_engine.dispose()  # new backends: no unflushed write counts of the import
    return committing_engine


def _arrays(facts: PeriodFacts) -> dict[str, Any]:
    members, orders, parties = facts.inputs.members, facts.inputs.orders, facts.inputs.parties
    arrays = {f"members.{k}": v for k, v in vars(members).items()}
    arrays |= {f"orders.{k}": v for k, v in vars(orders).items() if k != "ids"}
    arrays["orders.ids"] = np.array(list(orders.ids[:]), dtype=object)
    arrays["parties.ids"] = parties.ids if parties is not None else None
    arrays["order_db_ids"] = facts.order_db_ids
    arrays["member_db_ids"] = facts.member_db_ids
    return arrays


def _read(engine: Engine, month: str, connections: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", connections)
    with Session(engine) as session, session.begin():
        return _arrays(load_period_facts(session, Period.parse(month)))


def test_parallel_and_single_connection_reads_agree(
    company: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_bulk_read, "UNIT_IDS", 97)  # many units, ragged edges
    sent: list[int] = []
    real = pg_bulk_read._run_on_side_connections

    def spy(*args: Any) -> Any:
        sent.append(len(args[2]))
        return real(*args)

    monkeypatch.setattr(pg_bulk_read, "_run_on_side_connections", spy)
    for month in MONTHS:
        single = _read(company, month, "1", monkeypatch)
        assert sent == []
        parallel = _read(company, month, "3", monkeypatch)
        assert sent and min(sent) > 1, "the members and the orders went to side connections"
        sent.clear()
        assert single.keys() == parallel.keys()
        for name, value in single.items():
            if value is None:
                assert parallel[name] is None, name
            else:
                assert np.array_equal(value, parallel[name]), f"{month} {name}"
        assert len(single["orders.ids"]) > 50


def test_a_close_read_in_parallel_writes_the_same_lines(
    company: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_bulk_read, "UNIT_IDS", 131)
    digests = {}
    for connections in ("1", "2"):
        monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", connections)
        with Session(company) as session, session.begin():
            result = close_period(session, "2026-03")
        digests[connections] = (result.digest, result.lines, result.total_paid)
    assert digests["1"] == digests["2"]
    assert digests["1"][1] > 0

"""Parallel clients on PostgreSQL: the same order posted at once is stored and counted
once, and parallel returns of one order never give back more than it bought."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fairtree.errors import ValidationError
from fairtree.services.orders.order_intake import NewLine, OrderRequest, post
from fairtree.services.orders.rank_progress import rebuild_period_volumes
from fairtree.store.models import Order
from fairtree.store.repositories.orders import running_volumes as volumes
from tests.factories import member_db_id, seed_intake

pytestmark = pytest.mark.postgres

TODAY = date(2026, 11, 22)
CLIENTS = 4
HOLD_SECONDS = 0.3  # each client keeps its transaction open, so the others overlap it


def in_parallel(engine: Engine, requests: list[OrderRequest]) -> list[Any]:
    """Post each request from its own connection at the same moment; outcomes in order."""
    start = threading.Barrier(len(requests))
    outcomes: list[Any] = [None] * len(requests)

    def client(k: int) -> None:
        start.wait()
        try:
            with Session(engine) as session, session.begin():
                outcomes[k] = post(session, requests[k], TODAY)
                time.sleep(HOLD_SECONDS)
        except Exception as error:  # reported to the test
            outcomes[k] = error

    threads = [threading.Thread(target=client, args=(k,)) for k in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def pv_of(engine: Engine, member: str) -> int:
    with Session(engine) as session:
        rows = volumes.period_rows(session, "2026-03")
        return rows.get(member_db_id(session, member), (0, 0, 0))[0]


def test_the_same_order_from_parallel_clients_is_stored_and_counted_once(
    committing_engine: Engine,
) -> None:
    with Session(committing_engine) as session, session.begin():
        seed_intake(session)
    request = OrderRequest(
        "SAME-1", date(2026, 3, 5), buyer_member_id="D", lines=(NewLine("Q", 2),)
    )
    outcomes = in_parallel(committing_engine, [request] * CLIENTS)
    assert [type(o).__name__ for o in outcomes] == ["PostedOrder"] * CLIENTS, outcomes
    assert sorted(o.created for o in outcomes) == [False] * (CLIENTS - 1) + [True]
    assert {(o.db_id, o.total_pv) for o in outcomes} == {(outcomes[0].db_id, 10000)}
    with Session(committing_engine) as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 1
    assert pv_of(committing_engine, "D") == 10000


def test_parallel_returns_never_give_back_more_than_the_order_bought(
    committing_engine: Engine,
) -> None:
    with Session(committing_engine) as session, session.begin():
        seed_intake(session)
        post(
            session,
            OrderRequest("O1", date(2026, 3, 5), buyer_member_id="D", lines=(NewLine("Q", 3),)),
            TODAY,
        )
    returns = [
        OrderRequest(
            f"R{k}",
            date(2026, 3, 9),
            kind="return",
            returns_order_id="O1",
            lines=(NewLine("Q", 1),),
        )
        for k in range(CLIENTS)
    ]
    outcomes = in_parallel(committing_engine, returns)
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == CLIENTS - 3, outcomes
    assert "returns more units of this product than the order bought (0 left to return)" in str(
        refused[0]
    )
    assert pv_of(committing_engine, "D") == 0
    with Session(committing_engine) as session, session.begin():
        live = volumes.period_rows(session, "2026-03"), volumes.period_legs(session, "2026-03")
        rebuild_period_volumes(session, "2026-03")
        rebuilt = volumes.period_rows(session, "2026-03"), volumes.period_legs(session, "2026-03")
        assert ({m: v for m, v in live[0].items() if any(v)}, live[1]) == rebuilt

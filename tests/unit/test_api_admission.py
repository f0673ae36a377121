"""At most half the connection pool's requests are inside the app at once; the rest wait."""

from __future__ import annotations

import asyncio

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool, QueuePool
from starlette.types import Message, Receive, Scope, Send

from fairtree.api.admission import AdmissionLimit, admitted_at_once


def test_admitted_at_once_is_half_the_pool_and_none_without_a_queue() -> None:
    pooled = create_engine("sqlite://", poolclass=QueuePool, pool_size=5, max_overflow=10)
    assert admitted_at_once(pooled) == 7
    small = create_engine("sqlite://", poolclass=QueuePool, pool_size=1, max_overflow=0)
    assert admitted_at_once(small) == 1
    unlimited = create_engine("sqlite://", poolclass=QueuePool, pool_size=2, max_overflow=-1)
    assert admitted_at_once(unlimited) is None
    assert admitted_at_once(create_engine("sqlite://", poolclass=NullPool)) is None


def test_requests_beyond_the_limit_wait_and_all_are_answered() -> None:
    inside, peak, answered = 0, 0, 0

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal inside, peak, answered
        inside += 1
        peak = max(peak, inside)
        await asyncio.sleep(0.01)
        inside -= 1
        answered += 1

    limited = AdmissionLimit(app, limit=3)

    async def noop_receive() -> Message:
        return {"type": "http.request"}

    async def noop_send(message: Message) -> None:
        return None

    async def burst() -> None:
        scope = {"type": "http", "path": "/"}
        await asyncio.gather(*(limited(scope, noop_receive, noop_send) for _ in range(20)))

    asyncio.run(burst())
    assert peak == 3
    assert answered == 20

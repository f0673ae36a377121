"""Admission: at most so many requests of a worker process inside the app at once.

FastAPI runs each sync dependency and the route in a thread of a shared pool (40 per
process), one hop at a time, and the request's database session keeps its connection
from its first query to the commit, across the hops. With more requests in flight than
connections, every thread can end up waiting for a connection that a request holds while
it waits for a thread: nothing moves until the pool's timeout (30 s) fails them. Measured
with `fairtree bench api` at 200 people: 49 such failures in 20 s, the CPU idle.

Admitting at most half the connection pool (a statement holds two sessions when no read
replica is set) breaks that cycle: an admitted request always finds a thread and a
connection, and the others wait here, holding nothing, in the order they came.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

from fairtree.store.database import pool_capacity

SESSIONS_PER_REQUEST = 2  # the request's session and, for statements, the read session


def admitted_at_once(engine: Engine) -> int | None:
    """Requests to admit at once for ``engine``'s pool; None (no limit) for pools that
    never make a request wait (SQLite in memory, a NullPool)."""
    capacity = pool_capacity(engine)
    return None if capacity is None else max(1, capacity // SESSIONS_PER_REQUEST)


class AdmissionLimit:
    """ASGI middleware: HTTP requests beyond ``limit`` at once wait their turn (FIFO)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # made on the server's event loop, at its first request
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)

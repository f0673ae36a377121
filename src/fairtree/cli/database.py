"""Where every command opens and closes the database.

A command works on the configured database (``FAIRTREE_DATABASE_URL`` or the SQLite
default) through ``command_session``: one engine, one transaction committed on success
and rolled back on error, and the engine disposed on the way out whatever happened.
Commands that need the engine itself (several transactions, side connections) use
``open_engine``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fairtree.store.database import make_engine, session_scope


@contextmanager
def open_engine(url: str | None = None, **kwargs: Any) -> Iterator[Engine]:
    """An engine on ``url`` (default: the configured database), disposed on exit."""
    engine = make_engine(url, **kwargs)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def command_session(url: str | None = None) -> Iterator[Session]:
    """The command boundary: one session on a fresh engine, committed on success."""
    with open_engine(url) as engine, session_scope(engine) as session:
        yield session

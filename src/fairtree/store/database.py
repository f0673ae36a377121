"""Engines and sessions: the SQLite file by default, PostgreSQL by URL.

``FAIRTREE_DATABASE_URL`` picks the database; without it fairtree uses the embedded
SQLite file ``var/fairtree.sqlite3`` under the working directory. A server database's
pool is sized by ``FAIRTREE_DB_POOL_SIZE``, ``FAIRTREE_DB_MAX_OVERFLOW`` and
``FAIRTREE_DB_POOL_TIMEOUT`` (docs/deployment.md). SQLite connections
get foreign keys, WAL and explicit ``BEGIN`` (so savepoints work under pysqlite).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from fairtree.config import DEFAULT_DATABASE_URL, Settings


def database_url() -> str:
    """The configured database URL (env ``FAIRTREE_DATABASE_URL`` or the SQLite default)."""
    return Settings.from_env().database_url or DEFAULT_DATABASE_URL


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


POOL_SETTINGS = {
    # setting: (create_engine argument, default)
    "FAIRTREE_DB_POOL_SIZE": ("pool_size", 5),
    "FAIRTREE_DB_MAX_OVERFLOW": ("max_overflow", 10),
    "FAIRTREE_DB_POOL_TIMEOUT": ("pool_timeout", 30),
}


def pool_options() -> dict[str, int]:
    """Connection pool of a server database, per process (``POOL_SETTINGS``): at most
    ``pool_size + max_overflow`` connections; a request waits ``pool_timeout`` seconds
    for one, then fails. A close's extra bulk-read connections are not taken from it
    (``store.repositories.bulk.pg_read``)."""
    options = {}
    for setting, (argument, default) in POOL_SETTINGS.items():
        value = os.environ.get(setting, str(default)).strip()
        if not value.isdigit() or (argument == "pool_size" and int(value) < 1):
            raise ValueError(f"{setting} must be a whole number (pool size at least 1): {value!r}")
        options[argument] = int(value)
    return options


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and their pragmas set,
    server databases their pool size from the environment (``pool_options``)."""
    url = url or database_url()
    if not is_sqlite(url):
        return create_engine(url, **{**pool_options(), **kwargs})
    database = make_url(url).database
    in_memory = not database or database == ":memory:"
    if database and not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself: pysqlite's own handling breaks SAVEPOINT.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        if wal:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def driver_connection(session: Session) -> Any:
    """The DBAPI connection under the session's transaction (sqlite3 or psycopg), for
    bulk paths that bypass the ORM: executemany, COPY, streaming cursors."""
    connection = session.connection().connection.driver_connection
    assert connection is not None, "the session's connection is closed"
    return connection


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """The command boundary: one session, committed on success, rolled back on error."""
    with make_session_factory(engine)() as session, session.begin():
        yield session


def pool_capacity(engine: Engine) -> int | None:
    """Connections ``engine``'s pool hands out before a checkout waits (pool size plus
    overflow); None for pools that never make one wait (SQLite in memory, a NullPool,
    unlimited overflow)."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):
        return None
    overflow = pool._max_overflow  # QueuePool keeps it only here
    if overflow < 0:
        return None
    return int(pool.size() + overflow)


def ping(engine: Engine) -> None:
    """Raise unless the database answers a trivial query on a fresh connection."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def settle(engine: Engine) -> None:
    """Leave a freshly bulk-loaded database as autovacuum would: statistics gathered and,
    on PostgreSQL, hint bits set and the checkpoint written, so timings that follow
    measure reads, not the clean-up after the load."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("VACUUM ANALYZE"))
            connection.execute(text("CHECKPOINT"))
        else:
            connection.execute(text("ANALYZE"))

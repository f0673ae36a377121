"""Engines and sessions: the SQLite file by default, PostgreSQL by URL.

``FAIRTREE_DATABASE_URL`` picks the database; without it fairtree uses the embedded
SQLite file ``var/fairtree.sqlite3`` under the working directory. SQLite connections
get foreign keys, WAL and explicit ``BEGIN`` (so savepoints work under pysqlite).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from fairtree.config import DEFAULT_DATABASE_URL, Settings


def database_url() -> str:
    """The configured database URL (env ``FAIRTREE_DATABASE_URL`` or the SQLite default)."""
    return Settings.from_env().database_url or DEFAULT_DATABASE_URL


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and their pragmas set."""
    url = url or database_url()
    if not is_sqlite(url):
        return create_engine(url, **kwargs)
    database = make_url(url).database
    in_memory = not database or database == ":memory:"
    if not in_memory:
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


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """The command boundary: one session, committed on success, rolled back on error."""
    with make_session_factory(engine)() as session, session.begin():
        yield session

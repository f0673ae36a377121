"""Scratch databases for benchmarks: created empty at the newest schema, gone afterwards.

Without a PostgreSQL URL the scratch database is a SQLite file in a temporary folder;
with one it is a new database of the given name on that server, dropped (with any
connections still open to it) when the block ends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from fairtree.store.database import make_engine
from fairtree.store.migrate import upgrade


@contextmanager
def scratch_database(postgres: str | None, name: str, revision: str = "head") -> Iterator[Engine]:
    """An engine on a new database migrated to ``revision`` (an earlier one compares
    with an earlier schema); ``postgres`` None: a temporary SQLite file."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            upgrade(url, revision)
            with _opened(url) as engine:
                yield engine
        return
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    try:
        _drop(admin, name)
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{_checked(name)}"'))
        url = make_url(postgres).set(database=name).render_as_string(hide_password=False)
        upgrade(url, revision)
        try:
            with _opened(url) as engine:
                yield engine
        finally:
            _drop(admin, name)
    finally:
        admin.dispose()


@contextmanager
def _opened(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _checked(name: str) -> str:
    """A database name is an identifier here, never quoted user text."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"scratch database name {name!r} must be letters, digits and _")
    return name


def _drop(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{_checked(name)}" WITH (FORCE)'))

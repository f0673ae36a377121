"""Database fixtures: every test here runs once on SQLite and once on PostgreSQL.

- ``db_url``: a migrated database, one per test session and xdist worker
  (SQLite file in a temp dir; PostgreSQL database ``fairtree_test_<worker>_<pid>``,
  dropped at the end).
- ``engine``: an engine on it.
- ``session``: a session inside a transaction rolled back after the test; the code
  under test may commit (it commits a SAVEPOINT), nothing survives the test.
- ``committing_engine``: for tests that need real commits or several connections;
  every table is emptied afterwards.

PostgreSQL comes from ``FAIRTREE_TEST_POSTGRES_URL``. When it cannot be reached the
PostgreSQL half skips, except with ``CI=true``, where it fails.
Tests marked ``postgres`` run on PostgreSQL only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from fairtree.store.database import make_engine
from fairtree.store.migrate import upgrade
from fairtree.store.models import Base

DEFAULT_TEST_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = ("sqlite", "postgresql")


def postgres_admin_url() -> str:
    return os.environ.get("FAIRTREE_TEST_POSTGRES_URL") or DEFAULT_TEST_POSTGRES_URL


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run ``postgres``-marked tests only in their PostgreSQL variant."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_url") if callspec else None
        if item.get_closest_marker("postgres") and backend == "sqlite":
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _unreachable(url: str, error: Exception) -> None:
    reason = f"PostgreSQL not reachable at {url}: {error.__class__.__name__}: {error}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _postgresql_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this session and worker."""
    admin_url = postgres_admin_url()
    name = f"fairtree_test_{_worker()}_{os.getpid()}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any driver/network failure means "unreachable"
        _unreachable(admin_url, error)
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / f"fairtree_test_{_worker()}.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """URL of a migrated test database; parametrized over SQLite and PostgreSQL."""
    return request.getfixturevalue(f"_{request.param}_database")


@pytest.fixture(scope="session")
def backend(db_url: str) -> str:
    return make_url(db_url).get_backend_name()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


def empty_all_tables(engine: Engine) -> None:
    """Delete every row of every table fairtree knows (children first).

    The guard triggers refuse deleting finalized runs and truncating them or the ledger;
    on PostgreSQL they are off for the emptying transaction (session_replication_role),
    on SQLite they are dropped and created again in the same transaction.
    """
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # The TRUNCATE guards (0011) refuse emptying finalized runs and the ledger;
            # a test database is emptied with triggers off for this transaction.
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        triggers = connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _ in triggers:
            connection.execute(text(f'DROP TRIGGER "{name}"'))
        for table in tables:
            connection.execute(table.delete())
        for _, sql in triggers:
            connection.execute(text(sql))


@pytest.fixture
def committing_engine(engine: Engine) -> Iterator[Engine]:
    """The engine itself, for tests that commit for real; tables are emptied after."""
    empty_all_tables(engine)
    try:
        yield engine
    finally:
        empty_all_tables(engine)

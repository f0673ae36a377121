"""Alembic environment: runs on the connection handed over by fairtree.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from fairtree.store.migrate import make_engine_for_migrations
from fairtree.store.models import Base
from fairtree.store.models.keys import schema_objects_for

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        _migrate(connection)
        return
    # A batch migration copies and drops a table that others reference; SQLite would
    # refuse the drop with foreign keys enforced. They are checked afterwards instead.
    # The pragma is ignored inside a transaction: set it on the driver before BEGIN.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        _migrate(connection)
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left broken references: {broken[:5]}")
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=schema_objects_for(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine_for_migrations(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("fairtree migrations run online only")
run_migrations_online()

"""Migration 0005 backfills each existing order's totals from its lines, exactly as
``engine.order_rollup.order_totals`` derives them for new orders (on SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fairtree.store.database import make_engine
from fairtree.store.migrate import upgrade
from tests.db.conftest import BACKENDS, _unreachable, postgres_admin_url

BEFORE = "0004_ledger"


@pytest.fixture(params=BACKENDS)
def old_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database migrated only up to the revision before order totals."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
        upgrade(url, BEFORE)
        yield url
        return
    name = f"fairtree_migration_{os.getpid()}"
    admin_url = postgres_admin_url()
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any driver/network failure means "unreachable"
        _unreachable(admin_url, error)
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url, BEFORE)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


OLD_ROWS = [
    """INSERT INTO members (id, member_id, joined_on, status, status_since, country, currency,
       display_name, identity_verified) VALUES
       (1, 'M1', '2026-01-01', 'active', '2026-01-01', 'US', 'USD', 'Ann', true)""",
    """INSERT INTO customers (id, customer_id, member_id, name, country, created_on)
       VALUES (1, 'C1', 1, 'Cy', 'US', '2026-01-05')""",
    """INSERT INTO products (id, sku, country, name, currency, retail_price, member_price,
       pv, bv, commissionable) VALUES
       (1, 'TEA', 'US', 'Tea', 'USD', 2500, 2000, 2000, 1500, true),
       (2, 'BAG', 'US', 'Bag', 'USD', 1000, 800, 0, 0, false)""",
    """INSERT INTO orders (id, order_id, kind, placed_on, buyer_member_id, buyer_customer_id,
       country, currency, returns_order_id) VALUES
       (1, 'O1', 'order', '2026-03-03', 1, NULL, 'US', 'USD', NULL),
       (2, 'O2', 'order', '2026-03-10', NULL, 1, 'US', 'USD', NULL),
       (3, 'R1', 'return', '2026-04-02', NULL, 1, 'US', 'USD', 2),
       (4, 'O3', 'order', '2026-03-11', 1, NULL, 'US', 'USD', NULL)""",
    """INSERT INTO order_lines (id, order_id, line_no, product_id, quantity, unit_price, pv, bv)
       VALUES (1, 1, 1, 1, 2, 2000, 2000, 1500), (2, 1, 2, 2, 1, 800, 0, 0),
              (3, 2, 1, 1, 1, 2500, 2000, 1500), (4, 3, 1, 1, 1, 2500, 2000, 1500)""",
]


def test_existing_orders_get_their_totals_from_their_lines(old_database: str) -> None:
    engine = make_engine(old_database)
    try:
        with engine.begin() as connection:
            for statement in OLD_ROWS:
                connection.execute(text(statement))
        upgrade(old_database)
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT order_id, credited_member_id, counts_on, total_pv, total_bv,"
                    " total_sales, total_other_sales, total_retail_margin"
                    " FROM orders ORDER BY id"
                )
            ).all()
    finally:
        engine.dispose()
    as_tuples = [(r[0], r[1], date.fromisoformat(str(r[2])), *r[3:]) for r in rows]
    assert as_tuples == [
        # 2 x 20 PV tea at member price, plus a non-commissionable bag: other sales only.
        ("O1", 1, date(2026, 3, 3), 4000, 3000, 4000, 800, 0),
        # A customer's tea at retail: credited to the owner, margin 25.00 - 20.00.
        ("O2", 1, date(2026, 3, 10), 2000, 1500, 2500, 0, 500),
        # Its return, in April, counts on the order's date, everything negative.
        ("R1", 1, date(2026, 3, 10), -2000, -1500, -2500, 0, -500),
        # An order without lines totals nothing.
        ("O3", 1, date(2026, 3, 11), 0, 0, 0, 0, 0),
    ]

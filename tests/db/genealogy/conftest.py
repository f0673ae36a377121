"""Genealogy operation tests get their own engine per module (same databases).

The store's session-wide engine keeps its pooled connections between test files; on
SQLite, a connection that has run recursive queries has its temporary storage open,
which the dataset import's bulk mode may not reconfigure inside a transaction. Giving
these tests their own connections keeps them from changing what later files see.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from fairtree.store.database import make_engine


@pytest.fixture(scope="module")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()

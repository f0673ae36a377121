"""A close never starves the pages: its bulk reads open their own connections instead
of taking them from the pool the API serves requests from, so with the API's pool
nearly used up by the close itself, /health keeps answering while the close reads."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fairtree.api.app import create_app
from fairtree.config import Settings
from fairtree.services.commissions.close import close_period
from fairtree.services.datasets import import_dataset
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.database import make_engine, pool_options
from fairtree.store.repositories.bulk import pg_read

pytestmark = pytest.mark.postgres


@pytest.fixture
def company_url(committing_engine: Engine, tmp_path: Path) -> str:
    source = write_dataset(generate(300, 3, seed=3, placement="none"), tmp_path / "source")
    with Session(committing_engine) as session, session.begin():
        import_dataset(session, source)
    committing_engine.dispose()
    return committing_engine.url.render_as_string(hide_password=False)


def test_pool_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pool_options() == {"pool_size": 5, "max_overflow": 10, "pool_timeout": 30}
    monkeypatch.setenv("FAIRTREE_DB_POOL_SIZE", "12")
    monkeypatch.setenv("FAIRTREE_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("FAIRTREE_DB_POOL_TIMEOUT", "5")
    assert pool_options() == {"pool_size": 12, "max_overflow": 0, "pool_timeout": 5}
    monkeypatch.setenv("FAIRTREE_DB_POOL_SIZE", "0")
    with pytest.raises(ValueError, match="FAIRTREE_DB_POOL_SIZE"):
        pool_options()


def test_pages_answer_while_a_close_reads(
    company_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The API process's pool: two connections, no overflow; the close takes one of them.
    monkeypatch.setenv("FAIRTREE_DB_POOL_SIZE", "2")
    monkeypatch.setenv("FAIRTREE_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("FAIRTREE_DB_POOL_TIMEOUT", "3")
    monkeypatch.setenv("FAIRTREE_BULK_READ_CONNECTIONS", "3")
    monkeypatch.setattr(pg_read, "UNIT_IDS", 97)  # several units: the side connections work
    engine = make_engine(company_url)
    reading, go = threading.Event(), threading.Event()
    real_fetch = pg_read._fetch

    def held_fetch(cursor: Any, unit: str) -> Any:
        reading.set()
        go.wait(timeout=30)
        return real_fetch(cursor, unit)

    monkeypatch.setattr(pg_read, "_fetch", held_fetch)
    outcome: dict[str, Any] = {}

    def close() -> None:
        try:
            with Session(engine) as session, session.begin():
                outcome["lines"] = close_period(session, "2026-02").lines
        except Exception as error:  # reported below
            outcome["error"] = error

    app = create_app(Settings(database_url=company_url, outbox_dir=tmp_path), engine=engine)
    worker = threading.Thread(target=close)
    with TestClient(app, base_url="https://testserver") as client:
        worker.start()
        try:
            assert reading.wait(timeout=60), "the close never reached its bulk read"
            answers = [client.get("/health") for _ in range(5)]
        finally:
            go.set()
            worker.join(timeout=120)
    engine.dispose()
    assert [a.json()["database"] for a in answers] == ["ok"] * 5
    assert "error" not in outcome, outcome.get("error")
    assert outcome["lines"] > 0

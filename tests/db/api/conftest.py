"""API fixtures: the app on the test database (SQLite and PostgreSQL), and a world of
members and staff in every relationship (see tests/factories/world.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fairtree.api.app import create_app
from fairtree.config import Settings
from fairtree.services.access.mail import MemoryMailBackend
from tests.factories import World, build_world


@pytest.fixture
def settings(db_url: str, tmp_path) -> Settings:
    return Settings(database_url=db_url, outbox_dir=tmp_path / "outbox", max_request_bytes=20_000)


@pytest.fixture
def mail() -> MemoryMailBackend:
    return MemoryMailBackend()


@pytest.fixture
def app(committing_engine: Engine, settings: Settings, mail: MemoryMailBackend) -> FastAPI:
    return create_app(settings, engine=committing_engine, mail=mail)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def world(committing_engine: Engine, settings: Settings) -> World:
    return build_world(committing_engine, settings)

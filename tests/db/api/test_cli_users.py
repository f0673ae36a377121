"""``fairtree users create`` and ``fairtree users revoke`` against the test database."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fairtree.cli.main import app as cli
from fairtree.store.models import AuditRecord, User
from tests.factories import World, member

runner = CliRunner()


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAIRTREE_DATABASE_URL", db_url)


def test_create_staff_then_sign_in(cli_env: None, world: World, client: TestClient) -> None:
    result = runner.invoke(
        cli,
        ["users", "create", "--staff", "Ops@Acme.test", "--role", "support", "--password-stdin"],
        input="a long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "ops@acme.test (support)" in result.output
    login = client.post(
        "/auth/login", json={"login": "ops@acme.test", "password": "a long enough secret"}
    )
    assert login.json()["user"]["role"] == "support"


def test_create_member_sign_in(cli_env: None, world: World, committing_engine: Engine) -> None:
    with Session(committing_engine) as session, session.begin():
        sponsor = world.member_pks["T"]
        session.add(member("NEW1", sponsor, joined_on=date(2026, 4, 1), display_name="New"))
    args = ["users", "create", "--member", "NEW1", "--email", "n@x.test", "--password-stdin"]
    assert runner.invoke(cli, args, input="a long enough secret\n").exit_code == 0
    with Session(committing_engine) as session:
        user = session.scalars(select(User).where(User.login == "new1")).one()
    assert (user.role, user.email, user.member_id is not None) == ("member", "n@x.test", True)
    again = runner.invoke(cli, args, input="a long enough secret\n")
    assert again.exit_code == 1 and "already has a sign-in" in again.output


def test_refusals_are_clear(cli_env: None, world: World) -> None:
    both = runner.invoke(cli, ["users", "create", "--member", "T", "--staff", "a@b.c"])
    assert both.exit_code == 2 and "exactly one" in both.output
    unknown = runner.invoke(
        cli, ["users", "create", "--member", "NOPE", "--password-stdin"], input="long secret!!\n"
    )
    assert unknown.exit_code == 1 and "NOPE" in unknown.output
    short = runner.invoke(
        cli, ["users", "create", "--staff", "s@acme.test", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 10 characters" in short.output


def test_revoke_ends_tokens_and_is_audited(
    cli_env: None, world: World, client: TestClient, committing_engine: Engine
) -> None:
    assert client.get("/auth/me", headers=world.auth("D")).status_code == 200
    result = runner.invoke(cli, ["users", "revoke", "d", "--reason", "lost laptop"])
    assert result.exit_code == 0, result.output
    assert client.get("/auth/me", headers=world.auth("D")).status_code == 401
    assert client.get("/auth/me", headers=world.auth("T")).status_code == 200
    with Session(committing_engine) as session:
        record = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "access_revoked")
        ).one()
    assert (record.actor, record.subject_id, record.reason) == (
        "local-operator",
        "d",
        "lost laptop",
    )

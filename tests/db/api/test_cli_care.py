"""``fairtree care MEMBER`` against the test database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fairtree.cli.main import app as cli
from fairtree.store.models import Member
from tests.factories import World

runner = CliRunner()


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAIRTREE_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "160")


def test_care_prints_retention_with_its_cohort_rule(
    cli_env: None, world: World, committing_engine: Engine
) -> None:
    with Session(committing_engine) as session, session.begin():
        session.execute(
            update(Member)
            .where(Member.member_id == "G")
            .values(status="terminated", status_since=date(2026, 3, 1))
        )
    result = runner.invoke(cli, ["care", "U3", "--as-of", "2026-07-10"])
    assert result.exit_code == 0, result.output
    # U3 sponsored U2, X and G (joined 2026-01-05); G left on 2026-03-01, before 3 months.
    assert "Still active after 3 months" in result.output
    assert "66.7% (2 of 3)" in result.output
    assert "nobody eligible yet" in result.output  # 12 months
    assert "no answered requests" in result.output
    assert "0.0%" in result.output  # no finalized run: nobody earned more than they spent
    assert "left out of" in result.output
    assert "only members who joined at least N months" in result.output


def test_care_of_an_unknown_member_fails(cli_env: None, world: World) -> None:
    result = runner.invoke(cli, ["care", "NOPE"])
    assert result.exit_code == 1 and "No member 'NOPE'" in result.output
    bad_date = runner.invoke(cli, ["care", "U3", "--as-of", "July"])
    assert bad_date.exit_code == 2

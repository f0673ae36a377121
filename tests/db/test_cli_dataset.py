"""The CLI commands end to end on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fairtree.cli.main import app
from fairtree.store.models import Member

runner = CliRunner()


@pytest.fixture
def cli_database(committing_engine: Engine, db_url: str, monkeypatch) -> Engine:
    monkeypatch.setenv("FAIRTREE_DATABASE_URL", db_url)
    return committing_engine


def member_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Member)) or 0


def test_import_prints_every_problem_and_changes_nothing(cli_database: Engine, make_dataset):
    folder = make_dataset(
        add={
            "members.csv": "X1,NOBODY,,,2026-01-01,active,2026-01-01,US,USD,x,false\n",
            "order_lines.csv": "O1,3,SHAKE,-1,39.90,25.00,20.50\n",
        }
    )
    result = runner.invoke(app, ["import", str(folder)], terminal_width=200)
    assert result.exit_code == 1
    assert "2 problem(s); nothing was changed" in result.output
    assert "unknown sponsor 'NOBODY'" in result.output
    assert "quantity must be a whole number greater than zero" in result.output
    assert member_count(cli_database) == 0


def test_import_list_search_export(cli_database: Engine, make_dataset, tmp_path: Path):
    folder = make_dataset()
    result = runner.invoke(app, ["import", str(folder)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Imported 5 members" in result.output
    assert member_count(cli_database) == 5

    listed = runner.invoke(app, ["members", "list", "--status", "active"], terminal_width=200)
    assert listed.exit_code == 0
    assert "3 members" in listed.output
    assert "Chie" not in listed.output  # M3 is inactive

    found = runner.invoke(app, ["members", "search", "builder"], terminal_width=200)
    assert "1 members found" in found.output
    assert 'Bob "The Builder"' in found.output

    out = tmp_path / "out"
    exported = runner.invoke(app, ["export", str(out)], terminal_width=200)
    assert exported.exit_code == 0, exported.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        p.name: p.read_bytes() for p in folder.iterdir()
    }


def test_members_list_refuses_an_unknown_status(cli_database: Engine):
    result = runner.invoke(app, ["members", "list", "--status", "asleep"])
    assert result.exit_code == 2
    assert "status must be one of" in result.output


def test_import_names_the_file_and_line_of_a_huge_line(cli_database: Engine, make_dataset):
    """A line longer than the CSV reader's block (16 MiB) is named by file and line,
    not reported as a parser's internal block error."""
    huge = "X1,,,,2026-01-01,active,2026-01-01,US,USD," + "x" * (17 << 20) + ",false\n"
    folder = make_dataset(add={"members.csv": huge})
    result = runner.invoke(app, ["import", str(folder)], terminal_width=200)
    assert result.exit_code == 1
    assert "1 problem(s); nothing was changed" in result.output
    assert "members.csv:line 7" in result.output
    assert "a line may hold at most 1,048,576 bytes" in result.output
    assert "straddl" not in result.output
    assert member_count(cli_database) == 0

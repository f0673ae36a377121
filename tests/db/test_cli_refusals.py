"""A refusal on the command line is one line and a non-zero exit, never a traceback;
a real bug still shows its traceback. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fairtree.cli.main import app
from tests.factories import seed_company

runner = CliRunner()


@pytest.fixture
def cli_company(committing_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAIRTREE_DATABASE_URL", db_url)
    with Session(committing_engine) as session, session.begin():
        seed_company(session)


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def test_finalizing_a_finalized_period_is_one_line(cli_company: None) -> None:
    _ok("close", "2026-03")
    _ok("close", "finalize", "2026-03")
    result = runner.invoke(app, ["close", "finalize", "2026-03"], terminal_width=200)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # handled, not a crash
    assert result.output.strip().splitlines() == ["refused: period 2026-03 is already finalized"]
    assert "Traceback" not in result.output


def test_an_unknown_member_is_one_line(cli_company: None) -> None:
    result = runner.invoke(app, ["ranks", "progress", "NOBODY"], terminal_width=200)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("refused: ") and "NOBODY" in lines[0]


def test_a_bug_keeps_its_traceback(cli_company: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import fairtree.cli.cmd_close as cmd_close

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cmd_close, "close_period", broken)
    result = runner.invoke(app, ["close", "2026-03"], terminal_width=200)
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["ranks", "progress", "A", "--on", "9999-12-31"], "--on"),
        (["ranks", "progress", "A", "--on", "0001-01-01"], "--on"),
        (["care", "A", "--as-of", "9999-12-31"], "--as-of"),
        (["tree", "A", "--as-of", "9999-12-31"], "--as-of"),
        (["orders", "post", "X1", "--member", "A", "--line", "P1=1", "--on", "9999-12-31"], "--on"),
        (["ranks", "progress", "A", "--on", "2026-02-30"], "--on"),
    ],
)
def test_a_date_outside_the_supported_range_is_a_usage_error(
    cli_company: None, args: list[str], option: str
) -> None:
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    said = " ".join(result.output.replace("│", " ").split())  # the error box wraps lines
    assert f"Invalid value for {option}: '{args[-1]}'" in said
    assert "is outside the supported range 1900-01-01 to 2999-12-31" in said or (
        "is not a date (YYYY-MM-DD)" in said
    )
    assert "Traceback" not in result.output

"""`fairtree enroll|move|terminate|tree` against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from fairtree.cli.main import app
from fairtree.store.database import session_scope
from tests.db.genealogy.tree_reads import audit_trail, sponsors
from tests.factories import add_company, add_root


@pytest.fixture
def cli(committing_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("FAIRTREE_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "160")
    with session_scope(committing_engine) as session:
        add_company(session, "binary", "weaker_leg")
        add_root(session)
    return CliRunner()


def _run(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_enroll_move_terminate_and_show_the_tree(cli: CliRunner, committing_engine: Engine) -> None:
    out = _run(cli, "enroll", "A", "--sponsor", "ROOT", "--name", "Ann", "--joined", "2026-01-02")
    assert "Enrolled A under ROOT, placed under ROOT at L" in out
    _run(cli, "enroll", "B", "--sponsor", "ROOT", "--name", "Bo [x]", "--joined", "2026-01-03")
    _run(cli, "enroll", "C", "--sponsor", "A", "--name", "Cy", "--joined", "2026-01-04")
    out = _run(cli, "move", "C", "--sponsor", "B", "--reason", "asked", "--effective", "2026-02-01")
    assert "Moved C on 2026-02-01: sponsor A -> B" in out
    out = _run(cli, "terminate", "B", "--reason", "left", "--effective", "2026-03-01")
    assert "Terminated B on 2026-03-01; rolled up to ROOT: C" in out
    with session_scope(committing_engine) as session:
        assert sponsors(session) == {"ROOT": None, "A": "ROOT", "B": "ROOT", "C": "ROOT"}
        ((record, details),) = audit_trail(session, "C")
        assert (record.actor, record.reason, record.action) == (
            "local-operator",
            "asked",
            "member_moved",
        )
        assert (details["before"]["sponsor_id"], details["after"]["sponsor_id"]) == ("A", "B")

    now = _run(cli, "tree", "ROOT", "--period", "2026-02")
    lines = [line.strip("│├└─ ") for line in now.splitlines()]
    assert "Downline of ROOT, volumes for 2026-02" in lines[0]
    assert "ROOT name (ROOT) active  PV 0.00  GV 0.00" in lines[1]
    assert "Bo [x] (B) terminated  PV 0.00  GV 0.00" in lines
    assert "Cy (C) active  PV 0.00  GV 0.00" in lines

    then = _run(cli, "tree", "ROOT", "--as-of", "2026-02-15", "--depth", "1")
    shown = [line.strip("│├└─ ") for line in then.splitlines()]
    assert "Bo [x] (B) active  PV 0.00  GV 0.00" in shown
    assert not any("(C)" in line for line in shown)  # C sat under B then, below depth 1


def test_refusals_are_printed_with_record_and_field(cli: CliRunner) -> None:
    result = cli.invoke(app, ["enroll", "X", "--sponsor", "NOPE", "--name", "X"])
    assert result.exit_code == 1
    assert "refused: member 'X' [sponsor_id]: no member 'NOPE'" in result.output
    result = cli.invoke(app, ["tree", "ROOT", "--as-of", "yesterday"])
    assert result.exit_code == 2

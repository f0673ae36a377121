"""`fairtree tree --as-of DATE` shows each member's status on that date (from the dated
history), not today's: a member who went inactive, or closed their account, after the
date shows as active; one who was inactive then and active now shows as inactive."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fairtree.cli.main import app
from fairtree.periods import Period
from fairtree.services.network.downline import downline_report
from fairtree.store.database import session_scope
from fairtree.store.models import GenealogyRecord, Member
from fairtree.store.repositories.network import genealogy_history
from tests.factories import add_company, add_member, add_root


def _member(session: Session, member_id: str, sponsor: Member) -> Member:
    return add_member(session, member_id, sponsor.id, display_name=f"{member_id} name")


def _set_status(session: Session, member: Member, status: str, on: date) -> None:
    session.execute(
        update(Member).where(Member.id == member.id).values(status=status, status_since=on)
    )
    session.expire(member)
    genealogy_history.record_changes(session, [member.id], on, "status", "setup")


def _company(session: Session) -> None:
    add_company(session, "none", None)
    root = add_root(session)
    later_inactive = _member(session, "LATER", root)
    _set_status(session, later_inactive, "inactive", date(2026, 3, 10))
    closed = _member(session, "CLOSED", root)
    _set_status(session, closed, "closed", date(2026, 4, 2))
    back = _member(session, "BACK", root)
    _set_status(session, back, "inactive", date(2026, 2, 1))
    _set_status(session, back, "active", date(2026, 3, 1))


def _statuses(session: Session, on: date | None) -> dict[str, str]:
    report = downline_report(session, "ROOT", Period.parse("2026-02"), on=on)
    return {child.member_id: child.status for child in report.children}


def test_downline_report_statuses_as_of_a_date(session: Session) -> None:
    _company(session)
    assert session.scalar(select(GenealogyRecord.status).limit(1)) is not None
    assert _statuses(session, None) == {"LATER": "inactive", "CLOSED": "closed", "BACK": "active"}
    assert _statuses(session, date(2026, 2, 15)) == {
        "LATER": "active",
        "CLOSED": "active",
        "BACK": "inactive",
    }
    assert _statuses(session, date(2026, 3, 20)) == {
        "LATER": "inactive",
        "CLOSED": "active",
        "BACK": "active",
    }


@pytest.fixture
def cli(committing_engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("FAIRTREE_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "160")
    with session_scope(committing_engine) as session:
        _company(session)
    return CliRunner()


def test_cli_tree_as_of_shows_the_status_then(cli: CliRunner) -> None:
    result = cli.invoke(app, ["tree", "ROOT", "--as-of", "2026-02-15", "--period", "2026-02"])
    assert result.exit_code == 0, result.output
    shown = [line.strip("│├└─ ") for line in result.output.splitlines()]
    assert "LATER name (LATER) active  PV 0.00  GV 0.00" in shown
    assert "CLOSED name (CLOSED) active  PV 0.00  GV 0.00" in shown
    assert "BACK name (BACK) inactive  PV 0.00  GV 0.00" in shown

"""Rules about where things happen, checked by path: who opens the database."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "fairtree"


def _imported_names(path: Path) -> set[str]:
    """Every ``module.name`` imported by a file (``from m import n`` gives ``m.n``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_cli_commands_open_the_database_in_one_place():
    """Only fairtree.cli.database makes (and disposes) an engine for a command."""
    cli = SRC / "cli"
    offenders = [
        path.name
        for path in sorted(cli.rglob("*.py"))
        if path.name != "database.py"
        and "fairtree.store.database.make_engine" in _imported_names(path)
    ]
    assert offenders == []
    assert "fairtree.store.database.make_engine" in _imported_names(cli / "database.py")

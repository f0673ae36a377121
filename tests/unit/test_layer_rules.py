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


def _defined_functions(root: Path) -> dict[str, list[str]]:
    """Top-level function name -> the modules under ``root`` that define it."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                found.setdefault(node.name, []).append(str(path.relative_to(SRC)))
    return found


def test_one_function_per_lookup():
    """Each lookup has one home in the store (and one service where it has one): no
    second definition in the store or the services."""
    everywhere = _defined_functions(SRC / "store")
    for name, paths in _defined_functions(SRC / "services").items():
        everywhere.setdefault(name, []).extend(paths)
    homes = {
        "member_by_external_id": ["store/repositories/network/members.py"],
        "the_company": ["store/repositories/company.py"],
        "lock_company": ["store/repositories/company.py"],
        "search_members": [
            "store/repositories/network/members.py",
            "services/network/members.py",
        ],
    }
    assert {name: everywhere.get(name) for name in homes} == homes

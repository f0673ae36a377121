"""The engine, plans and genealogy packages stay pure: no store, api, web or cli."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "fairtree"
FORBIDDEN = ("fairtree.store", "fairtree.api", "fairtree.web", "fairtree.cli", "fairtree.services")


@pytest.mark.parametrize("package", ["engine", "plans", "genealogy"])
def test_pure_packages_import_nothing_impure(package):
    offenders = []
    for path in sorted((SRC / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []
    assert any((SRC / package).rglob("*.py"))

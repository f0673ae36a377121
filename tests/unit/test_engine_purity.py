"""The pure modules stay pure: money, periods, genealogy, plans and engine (and the
plan-case harness built on them) import nothing from store, services, api, web, cli,
dataset or simulation. The one exception: disclosure draws its two charts with
``fairtree.web.charts``, the project's one chart drawer, and writes figures with its
``web.formatting``; neither imports anything of fairtree but ``money`` (checked below)."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "fairtree"
IMPURE = ("store", "services", "api", "web", "cli", "dataset", "simulation")
PURE = ("money.py", "periods.py", "genealogy", "plans", "engine", "plan_cases", "disclosure")
DRAWER_MAY_USE = {"fairtree.web.charts", "fairtree.web.formatting", "fairtree.money"}


def imported_modules(source: str) -> list[str]:
    """Every module an ``import`` names, at any depth (inside functions too)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            if node.module == "fairtree":
                names += [f"fairtree.{alias.name}" for alias in node.names]
    return names


def impure_imports(source: str) -> list[str]:
    return [
        name
        for name in imported_modules(source)
        if any(
            name == f"fairtree.{layer}" or name.startswith(f"fairtree.{layer}.") for layer in IMPURE
        )
    ]


def python_files(entry: str) -> list[Path]:
    path = SRC / entry
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


@pytest.mark.parametrize("entry", PURE)
def test_pure_modules_import_nothing_impure(entry):
    files = python_files(entry)
    assert files, f"{entry} holds no Python file"
    offenders = [
        f"{path.relative_to(SRC)}: {name}"
        for path in files
        for name in impure_imports(path.read_text())
        if not (entry == "disclosure" and name in DRAWER_MAY_USE)
    ]
    assert offenders == []


def test_the_chart_drawer_imports_nothing_impure_itself():
    """What disclosure may draw with stays as pure as disclosure: matplotlib and markup."""
    for module in ("charts.py", "formatting.py"):
        names = imported_modules((SRC / "web" / module).read_text())
        fairtree_names = {n for n in names if n.startswith("fairtree")}
        assert fairtree_names <= DRAWER_MAY_USE, fairtree_names


@pytest.mark.parametrize("layer", IMPURE)
def test_the_check_catches_each_impure_layer(layer):
    source = (
        f"import fairtree.{layer}.x\nfrom fairtree.{layer} import y\nfrom fairtree import {layer}\n"
    )
    assert impure_imports(source) == [
        f"fairtree.{layer}.x",
        f"fairtree.{layer}",
        f"fairtree.{layer}",
    ]


def test_the_check_lets_pure_imports_pass():
    source = "from fairtree.money import x\nimport fairtree.engine.kinds\n"
    source += "from fairtree.datasets import y\n"
    assert impure_imports(source) == []


def test_engine_and_dataset_do_not_import_each_other_both_ways():
    """The dataset folder builds engine input (dataset -> engine); never the reverse."""
    engine = [n for p in python_files("engine") for n in imported_modules(p.read_text())]
    assert [n for n in engine if n.startswith("fairtree.dataset")] == []

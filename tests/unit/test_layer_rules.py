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


# What may come from sqlalchemy outside fairtree.store: types to annotate with and the
# errors to catch. Everything that builds a statement (select, insert, update, delete,
# text, func, ...) or makes an engine stays in the store.
SQLALCHEMY_OUTSIDE_STORE = {
    "sqlalchemy.Engine",
    "sqlalchemy.Row",
    "sqlalchemy.orm.Session",
    "sqlalchemy.engine.make_url",
}
# Calls that run a query: on anything named like a session, a connection or an engine.
RUNS_A_QUERY = {"execute", "scalar", "scalars", "get", "query", "exec_driver_sql", "connection"}
QUERY_RUNNERS = ("session", "connection", "conn", "engine")


def _receiver_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _query_offences(path: Path) -> list[str]:
    offences = []
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                if name not in SQLALCHEMY_OUTSIDE_STORE and node.module != "sqlalchemy.exc":
                    offences.append(f"imports {name}")
        elif isinstance(node, ast.Import):
            offences += [f"imports {a.name}" for a in node.names if a.name.startswith("sqlalchemy")]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in RUNS_A_QUERY
            and _receiver_name(node.func.value).lower().endswith(QUERY_RUNNERS)
        ):
            offences.append(
                f"line {node.lineno}: {_receiver_name(node.func.value)}.{node.func.attr}()"
            )
    return offences


def test_every_query_lives_in_the_store():
    """Outside fairtree.store no module builds a SQL statement or runs one.

    Precisely: outside src/fairtree/store nothing imports from sqlalchemy more than the
    types and errors in SQLALCHEMY_OUTSIDE_STORE (and sqlalchemy.exc), and nothing calls
    execute/scalar/scalars/get/query/exec_driver_sql/connection on a session, connection
    or engine. Services may still use the ORM's unit of work on rows a repository gave
    them (session.add, delete, flush, begin_nested): the writes are the rows they changed,
    not a query they wrote. benchmarks/ is left out like tests/: it seeds and settles
    scratch databases directly and is on no request or command path of the application.
    """
    offenders = {
        str(path.relative_to(SRC)): offences
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC).parts[0] not in ("store", "benchmarks")
        and (offences := _query_offences(path))
    }
    assert offenders == {}


def test_routers_pages_and_commands_call_services_not_repositories():
    """api/, web/ and cli/ parse, authorize, call a service and render: no repository."""
    offenders = [
        str(path.relative_to(SRC))
        for layer in ("api", "web", "cli")
        for path in sorted((SRC / layer).rglob("*.py"))
        if any(
            name.startswith("fairtree.store.repositories")
            for name in _imported_names(path) | _imported_modules(path)
        )
    ]
    assert offenders == []


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names

"""Every command starts without loading more than it needs: importing the whole CLI
(all command modules) must not import FastAPI's test client, which warns on import."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_does_not_load_the_test_client() -> None:
    probe = (
        "import sys; from fairtree.cli.main import app, _register; _register(); "
        "print(sorted(m for m in sys.modules"
        " if m.startswith(('fastapi.testclient', 'starlette.testclient'))))"
    )
    found = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "[]"
    assert "Warning" not in found.stderr


def test_the_cli_starts_without_the_web_app_or_the_benchmarks() -> None:
    """Every command pays for what the whole CLI imports at start; the web application,
    the HTTP client and the benchmarks load only in the commands that run them."""
    probe = (
        "import sys; from fairtree.cli.main import app, _register; _register(); "
        "print(sorted(m for m in sys.modules if m.startswith(("
        "'fairtree.api', 'fairtree.benchmarks', 'fastapi', 'uvicorn', 'httpx'))))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"

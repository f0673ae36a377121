"""`fairtree serve` end to end: a real process, a fresh SQLite file, the demo seeded."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser_kit import free_port

pytestmark = pytest.mark.slow


def test_serve_seeds_demo_and_answers_health(tmp_path: Path):
    database = tmp_path / "demo.sqlite3"
    port = free_port()
    env = dict(os.environ, FAIRTREE_DATABASE_URL=f"sqlite:///{database}")
    env["FAIRTREE_OUTBOX_DIR"] = str(tmp_path / "outbox")
    fairtree = Path(sys.executable).with_name("fairtree")
    command = [str(fairtree), "serve", "--port", str(port), "--demo-members", "150"]
    process = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        health = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert health is not None, process.stdout.read().decode() if process.stdout else ""
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        spec = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()
        assert spec["info"]["title"] == "fairtree"
        assert "/health" in spec["paths"]
    finally:
        process.terminate()
        process.wait(timeout=20)
    with sqlite3.connect(database) as connection:
        assert connection.execute("select count(*) from members").fetchone()[0] == 150
    sign_ins = (tmp_path / "var" / "demo-sign-ins.txt").read_text().splitlines()
    assert sign_ins[0] == "login\tpassword\trole\twho"
    assert sorted(line.split("\t")[2] for line in sign_ins[1:]) == [
        "admin",
        "member",
        "member",
        "member",
        "member",
        "support",
    ]

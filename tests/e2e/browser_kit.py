"""What every browser test of a page needs: Debian's Chromium, both widths, screenshots
saved as test artifacts (``artifacts/screenshots/``, not committed) and an axe-core check
that finds no serious or critical violation."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from fairtree.api.app import create_app
from fairtree.config import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
WIDTHS = {"desktop": 1280, "phone": 390}
SCREENSHOTS = Path(os.environ.get("FAIRTREE_ARTIFACTS", "artifacts")) / "screenshots"


def launch_chromium() -> Iterator[Any]:
    """A headless Chromium for a module's tests (skips without one; fails in CI)."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium to run browser tests"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(settings: Settings) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, for a module's tests: its URL."""
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def page_width_overflow(page: Any) -> int:
    """Pixels the page scrolls sideways (0 when nothing sticks out of the window)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def serious_violations(page: Any) -> list[str]:
    """axe-core violations of impact serious or critical on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = results.response.get("violations", [])
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v.get("impact") in ("serious", "critical")
    ]


def check_both_widths(page: Any, name: str, full_page: bool = True) -> None:
    """At 1280 px and 390 px: no page-wide sideways scroll, no serious axe violation,
    a screenshot saved as ``artifacts/screenshots/<name>-<width>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9-]+", "-", name.lower())
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        page.screenshot(path=str(SCREENSHOTS / f"{safe}-{label}.png"), full_page=full_page)
        assert page_width_overflow(page) <= 0, f"{name} scrolls sideways at {width} px"
        problems = serious_violations(page)
        assert problems == [], f"{name} at {width} px: {problems}"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})

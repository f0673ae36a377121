"""The public income disclosure page in a real browser: no sign-in, both widths, axe.

Screenshots go to artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fairtree.config import Settings
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.disclosure.publishing import publish_year
from fairtree.store.database import make_engine, session_scope
from fairtree.store.migrate import upgrade
from tests.e2e.browser_kit import serve
from tests.factories import seed_company

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("disclosure")
    url = f"sqlite:///{folder / 'disclosure.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        seed_company(session)
        close_period(session, "2026-03")
        finalize_run(session, "2026-03", {})
        publish_year(session, None, 2026, "annual statement")
    engine.dispose()
    settings = Settings(database_url=url, outbox_dir=folder / "outbox", cookie_secure=False)
    yield from serve(settings)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
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


@pytest.mark.parametrize("width", [1280, 390])
def test_public_statement_reads_without_sign_in_at_both_widths(browser, server, width) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    response = page.goto(f"{server}/disclosure/2026")
    assert response is not None and response.status == 200
    headline = page.locator(".headline").inner_text()
    assert "Paid nothing: 2 (50.0%)" in headline and "Median gross pay: 0.00 USD" in headline
    assert page.locator("figure.chart svg").count() == 2  # each chart beside its table
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page-wide horizontal scroll of {overflow}px at {width}px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"disclosure-{width}.png"), full_page=True)
    results = Axe().run(page)
    serious = [
        v["id"]
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == []
    missing = page.goto(f"{server}/disclosure/2025")
    assert missing is not None and missing.status == 404
    context.close()

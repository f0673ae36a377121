"""The console's report pages in a real browser: income disclosure (statement, claim
check, publishing), compliance monitors and the plan simulator (a background job
followed with script and without it). Both widths, axe-core, screenshots under
artifacts/screenshots/ (not committed).

The server runs no job worker here: the test runs queued jobs itself (as ``fairtree
worker`` would, in another process), so a page is checked while its job waits, without
a reload racing the check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fairtree.config import Settings
from fairtree.services.demo.seed import DemoShape, seed_demo
from fairtree.services.jobs import run_one
from fairtree.store.database import make_engine, make_session_factory, session_scope
from fairtree.store.migrate import upgrade
from tests.e2e.browser_kit import check_both_widths, launch_chromium, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder: Path = tmp_path_factory.mktemp("reports")
    url = f"sqlite:///{folder / 'reports.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        seeded = seed_demo(session, DemoShape(members=200, months=4, seed=11))
        admin = next((s.login, s.password) for s in seeded.sign_ins if s.role == "admin")
    engine.dispose()
    settings = Settings(
        database_url=url, outbox_dir=folder / "outbox", cookie_secure=False, run_jobs=False
    )
    for base in serve(settings):
        yield {"base": base, "admin": admin, "url": url}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


def _run_jobs(server: dict[str, Any]) -> int:
    """Run every queued job, as a separate worker process would; how many ran."""
    import fairtree.services.jobs.catalogue  # noqa: F401  (registers the job kinds)

    engine = make_engine(server["url"])
    factory = make_session_factory(engine)
    ran = 0
    while run_one(factory) is not None:
        ran += 1
    engine.dispose()
    return ran


def _admin(browser: Any, server: dict[str, Any], script: bool = True) -> tuple[Any, Any]:
    context = browser.new_context(accept_downloads=True, java_script_enabled=script)
    page = context.new_page()
    page.goto(f"{server['base']}/app/login")
    page.fill("input[name=login]", server["admin"][0])
    page.fill("input[name=password]", server["admin"][1])
    with page.expect_navigation():
        page.click("button:has-text('Sign in')")
    assert page.url == f"{server['base']}/console/", page.url
    return context, page


def test_disclosure_statement_claim_and_publishing(browser: Any, server: dict[str, Any]) -> None:
    context, page = _admin(browser, server)
    base = server["base"]
    page.goto(f"{base}/console/disclosure")
    check_both_widths(page, "console-disclosure-choose")
    year = page.locator("#year option").nth(1).inner_text()
    page.select_option("#year", year)
    page.click("button:has-text('Show the statement')")
    headline = page.locator(".disclosure .headline").inner_text()
    assert "Participants:" in headline and "Paid nothing:" in headline
    assert page.locator(".disclosure figure svg").count() == 2
    check_both_widths(page, "console-disclosure-statement")
    with page.expect_download() as download:
        page.click("#downloads a:has-text('JSON')")
    statement = json.loads(Path(download.value.path()).read_text())
    assert f"Participants: {statement['participants']:,} " in headline
    with page.expect_download() as pdf:
        page.click("#downloads a:has-text('PDF')")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")

    page.fill("#amount", "1000")
    page.select_option("#per", "month")
    page.click("button:has-text('Check the claim')")
    result = page.locator("#claim-result").inner_text()
    assert f"all members at any time in the range ({statement['participants']:,})" in result
    check_both_widths(page, "console-disclosure-claim")

    page.fill("#publish-reason", "annual statement")
    page.click(f"button:has-text('Publish {year}…')")
    assert page.locator("h1").inner_text() == f"Publish the {year} statement?"
    check_both_widths(page, "console-disclosure-publish-confirm")
    page.click(f"button:has-text('Confirm: publish {year}')")
    assert page.locator("#published-note").is_visible()
    public = context.request.get(f"{base}/disclosure/{year}.json")
    assert public.status == 200 and public.json()["participants"] == statement["participants"]
    context.close()


def test_compliance_monitors_and_flagged_members(browser: Any, server: dict[str, Any]) -> None:
    context, page = _admin(browser, server)
    page.goto(f"{server['base']}/console/compliance")
    period = page.locator("#period option").first.inner_text()
    page.click("button:has-text('Show the monitors')")
    assert page.locator("h1").inner_text() == f"Compliance monitors: {period}"
    assert page.locator("#monitors tbody tr").count() == 6
    check_both_widths(page, "console-compliance")
    flagged = page.locator("#monitors tbody a")
    assert flagged.count() >= 1
    flagged.first.click()
    rows = page.locator("#flagged-members tbody tr")
    assert rows.count() >= 1 and "Nothing to show" not in rows.first.inner_text()
    check_both_widths(page, "console-compliance-flagged")
    with page.expect_download() as csv_file:
        page.click("#downloads a:has-text('CSV')")
    assert Path(csv_file.value.path()).read_text().startswith("scope,monitor,figure,value")
    context.close()


def _start(page: Any, base: str, months: str) -> str:
    page.goto(f"{base}/console/simulations")
    page.select_option("#plan_version", index=1)
    page.select_option("#scenario", "realistic")
    page.fill("#months", months)
    page.fill("#seed", "7")
    page.click("button:has-text('Start')")
    assert "/console/simulations/" in page.url, page.url
    return str(page.url)


def test_simulator_runs_in_the_background_with_and_without_script(
    browser: Any, server: dict[str, Any]
) -> None:
    context, page = _admin(browser, server)
    base = server["base"]
    page.goto(f"{base}/console/simulations")
    check_both_widths(page, "console-simulator")
    page.fill("#months", "0")
    page.click("button:has-text('Start')")
    assert "months: a whole number 1 to 120" in page.locator("#problems").inner_text()
    job_url = _start(page, base, "6")
    page.reload()  # the job survives a reload: the same job, still followed
    assert page.url == job_url
    assert page.locator("#job-status").inner_text().startswith("Status: queued")
    assert page.locator("#job-progress progress").count() == 1
    check_both_widths(page, "console-simulation-waiting")
    assert _run_jobs(server) == 1
    page.wait_for_selector("#downloads", timeout=60_000)  # the script reloads once done
    assert "Status: done" in page.locator("#job-status").inner_text()
    assert page.locator(".simulation-report figure svg").count() == 5  # 3 + the statement's 2
    assert page.locator(".simulation-report .disclosure .headline").is_visible()
    check_both_widths(page, "console-simulation-report")
    with page.expect_download() as report_file:
        page.click("#downloads a:has-text('JSON')")
    report = json.loads(Path(report_file.value.path()).read_text())
    assert report["seed"] == 7 and report["months"] == 6
    assert f"{report['ever_joined']:,} people" in page.locator(".simulation-report").inner_text()
    context.close()

    # Without script the page refreshes itself until the report is there.
    plain, page = _admin(browser, server, script=False)
    _start(page, base, "3")
    assert _run_jobs(server) == 1
    page.wait_for_selector("#downloads", timeout=60_000)  # the page refreshes itself
    assert "Status: done" in page.locator("#job-status").inner_text()
    plain.close()


def test_simulator_compares_two_plans_and_sweeps_seeds(
    browser: Any, server: dict[str, Any]
) -> None:
    context, page = _admin(browser, server)
    base = server["base"]
    page.goto(f"{base}/console/simulations")
    page.check("input[name=kind][value=compare]")
    page.select_option("#plan_b_version", index=1)
    page.fill("#months", "3")
    page.click("button:has-text('Start')")
    assert _run_jobs(server) == 1
    page.wait_for_selector("#downloads", timeout=60_000)
    text = page.locator(".simulation-report").inner_text()
    assert "(A) against" in text and "(B)" in text  # the same plan twice: nobody gains
    assert "0.0% of everyone who joined would be paid more" in text
    check_both_widths(page, "console-simulation-compare")

    page.goto(f"{base}/console/simulations")
    page.check("input[name=kind][value=sweep]")
    page.fill("#months", "2")
    page.fill("#runs", "2")
    page.click("button:has-text('Start')")
    assert _run_jobs(server) == 1
    page.wait_for_selector("#downloads", timeout=60_000)
    assert ": 2 simulated companies" in page.locator(".simulation-report h1").inner_text()
    assert page.locator(".simulation-report figure svg").count() == 1
    check_both_widths(page, "console-simulation-sweep")
    with page.expect_download() as report_file:
        page.click("#downloads a:has-text('JSON')")
    report = json.loads(Path(report_file.value.path()).read_text())
    assert report["runs"] == 2 and set(report["figures"]["median_net_income"]) == {
        "median",
        "p5",
        "p95",
    }
    context.close()

"""The operator console in a real browser: Debian's Chromium, headless, against uvicorn
(with its job worker thread) on a temporary SQLite database and on a scratch PostgreSQL
database (FAIRTREE_TEST_POSTGRES_URL), each seeded with the demo company.

Each page a test opens is checked at 1280 and 390 px: no page-wide horizontal scroll,
no serious or critical axe-core violation, and a screenshot under
artifacts/screenshots/ (not committed). Skips when /usr/bin/chromium is missing (fails
when CI=true).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from fairtree.config import Settings
from fairtree.periods import Period
from fairtree.services.access.principal import Principal
from fairtree.services.care import help_requests
from fairtree.services.demo.seed import DemoShape, seed_demo
from fairtree.store.database import make_engine, session_scope
from fairtree.store.migrate import upgrade
from fairtree.store.repositories.access.accounts import user_of_member
from fairtree.store.repositories.network.members import member_by_external_id
from fairtree.store.scratch import scratch_database
from tests.e2e.browser_kit import check_both_widths, launch_chromium, serve

pytestmark = pytest.mark.browser

SUBJECT = "How is my fast start paid?"
OPEN = Period.containing(date.today()).key
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _seed(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        seeded = seed_demo(session, DemoShape(members=200, months=4, seed=11))
        logins = {s.role if s.role != "member" else s.who.split(":")[0]: (s.login, s.password)
                  for s in seeded.sign_ins}  # fmt: skip
        asker = member_by_external_id(session, logins["downline"][0].upper())
        assert asker is not None
        user = user_of_member(session, asker.id)
        assert user is not None
        principal = Principal(
            user.id, user.login, "member", asker.id, asker.member_id, "session", 0
        )
        help_requests.ask(session, principal, asker, "company", None, SUBJECT, "Where do I see it?")
    engine.dispose()
    return {"logins": logins, "asker": asker.member_id}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or a scratch PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('console') / 'console.sqlite3'}"
        upgrade(url)
        yield url
        return
    server = os.environ.get("FAIRTREE_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    try:
        with scratch_database(server, f"fairtree_e2e_console_{os.getpid()}") as engine:
            url = engine.url.render_as_string(hide_password=False)
            engine.dispose()
            yield url
    except OperationalError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL not reachable at {server}: {error}", pytrace=False)
        pytest.skip(f"PostgreSQL not reachable at {server}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[dict[str, Any]]:
    folder: Path = tmp_path_factory.mktemp("console-outbox")
    url = database_url
    facts = _seed(url)
    settings = Settings(
        database_url=url,
        outbox_dir=folder / "outbox",
        cookie_secure=False,
        plan_cases_dir=Path(__file__).resolve().parents[2] / "plans",
    )
    for base in serve(settings):
        yield {**facts, "base": base, "database": url}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


def _sign_in(browser: Any, demo: dict[str, Any], role: str) -> tuple[Any, Any]:
    login, password = demo["logins"][role]
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{demo['base']}/app/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button:has-text('Sign in')")
    assert page.url == f"{demo['base']}/console/", page.url
    return context, page


def check(page: Any, name: str) -> None:
    """Both widths: no page-wide horizontal scroll, axe clean, a screenshot."""
    check_both_widths(page, f"console-{name}")


def _wait_for_job(page: Any, timeout: float = 240) -> None:
    """Poll the job's status (the page also refreshes itself: reloading it from here as
    well races with that navigation), then open the job page once it is done."""
    job_url = page.url.split("?")[0]
    assert "/console/jobs/" in job_url, job_url
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.request.get(f"{job_url}/status").json()
        assert state["status"] != "failed", state
        if state["status"] == "done":
            page.goto(job_url)
            assert "Status: done" in page.locator("#job-status").inner_text()
            return
        time.sleep(1)
    raise AssertionError(f"the job did not finish: {state}")


def _count(url: str, sql: str, **params: object) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


def test_admin_closes_reviews_finalizes_once_and_pays(browser: Any, demo: dict[str, Any]) -> None:
    context, page = _sign_in(browser, demo, "admin")
    base = demo["base"]
    assert page.locator("#member-figures").is_visible()
    assert page.locator("#payout-share tr").count() >= 3  # header + finalized periods
    assert page.locator("figure svg").count() == 1
    check(page, "home")
    page.goto(f"{base}/console/periods")
    check(page, "periods")
    page.select_option("#period", OPEN)
    page.fill("#close-reason", "month-end close")
    page.click("button:has-text('Close the period')")
    assert "/console/jobs/" in page.url
    _wait_for_job(page)
    check(page, "job")  # once finished: a running job's page reloads itself under axe
    page.click(f"text=Review {OPEN}")
    assert page.locator("h1").inner_text() == f"Period {OPEN}: draft run"
    assert page.locator("#bonuses tr").count() >= 2
    check(page, "review")
    member = page.locator("#changes a").first.inner_text()
    page.locator("#changes a").first.click()
    assert page.locator("h1").inner_text().endswith(f"({member}), {OPEN}")
    check(page, "statement")
    page.go_back()
    for rate in page.locator("input[name^=rate_]").all():
        rate.fill("1.25")
    page.fill("#finalize-reason", "reviewed by the admin")
    page.click("button:has-text('Finalize…')")
    assert page.locator("#finalize-form").is_visible()
    check(page, "finalize-confirm")
    # The same confirmed form sent twice (a double click): one finalized run, one audit.
    fields = page.eval_on_selector(
        "#finalize-form",
        "f => Object.fromEntries([...new FormData(f).entries()])",
    )
    first = page.request.post(f"{base}/console/periods/{OPEN}/finalize", form=fields,
                              max_redirects=0)  # fmt: skip
    second = page.request.post(f"{base}/console/periods/{OPEN}/finalize", form=fields,
                               max_redirects=0)  # fmt: skip
    assert first.status == second.status == 303
    assert first.headers["location"] == second.headers["location"]
    runs = "SELECT count(*) FROM commission_runs WHERE period_key = :p AND status = 'finalized'"
    assert _count(demo["database"], runs, p=OPEN) == 1
    audits = "SELECT count(*) FROM audit_log WHERE action = 'period_finalized' AND subject_id = :p"
    assert _count(demo["database"], audits, p=OPEN) == 1
    page.goto(f"{base}/console/periods/{OPEN}")
    assert f"Period {OPEN}: finalized run" == page.locator("h1").inner_text()
    page.click("text=Create the payout batch…")
    page.fill("#minimum", "20.00")
    page.click("button:has-text('Create the batch…')")
    check(page, "payout-confirm")
    page.click("button:has-text('Confirm: create the batch')")
    assert page.url.endswith(f"/console/periods/{OPEN}/payouts")
    assert "they agree" in page.locator("#reconcile").inner_text()
    check(page, "payouts")
    # items are paged and sorted by the store: two per page, largest first
    page.goto(f"{base}/console/periods/{OPEN}/payouts?per_page=2&sort=amount&dir=desc")
    owed = [
        Decimal(c.replace(",", ""))
        for c in page.locator("#items tbody td:nth-child(3)").all_inner_texts()
    ]
    assert len(owed) == 2 and owed[0] >= owed[1]
    assert "Page 1 of" in page.locator("nav.pager").inner_text()
    page.click("nav.pager a[rel=next]")
    more = [
        Decimal(c.replace(",", ""))
        for c in page.locator("#items tbody td:nth-child(3)").all_inner_texts()
    ]
    assert more and more[0] <= owed[1]
    with page.expect_download() as download:
        page.click("#csv-link")
    text = Path(download.value.path()).read_text()
    header, *rows = text.splitlines()
    assert header == "item_id,member_id,name,amount,currency,reference"
    pending = "SELECT count(*) FROM payout_items i JOIN payout_batches b ON b.id = i.batch_id " \
              "WHERE b.period_key = :p AND i.status = 'pending'"  # fmt: skip
    assert len(rows) == _count(demo["database"], pending, p=OPEN) > 0
    context.close()


def test_admin_runs_a_what_if_and_sees_gainers_and_losers(
    browser: Any, demo: dict[str, Any]
) -> None:
    context, page = _sign_in(browser, demo, "admin")
    base = demo["base"]
    page.goto(f"{base}/console/plans")
    check(page, "plans")
    page.locator("#versions a").first.click()
    text = page.locator("#plan-text").inner_text()
    assert 'rates: ["5%", "5%", "10%"' in text and 'rates[0]: "6%"' in text
    # Level one down (also in the dated change from July 2026), level two up: members
    # paid mostly on level one lose, those with more on level two gain.
    draft = text.replace('rates: ["5%", "5%", "10%"', 'rates: ["4%", "20%", "10%"', 1)
    draft = draft.replace('rates[0]: "6%"', 'rates[0]: "4%"')
    page.goto(f"{base}/console/plans")
    finalized = page.locator("#wi-period option").all_inner_texts()
    page.select_option("#wi-period", finalized[-1])
    page.fill("#wi-name", "level one up, level two down")
    page.fill("#wi-yaml", draft)
    page.click("button:has-text('Run the what-if')")
    _wait_for_job(page)
    page.click("text=See the what-if")
    assert int(page.locator("#gainers").inner_text().replace(",", "")) > 0
    assert int(page.locator("#losers").inner_text().replace(",", "")) > 0
    assert page.locator("#by_rank tr").count() >= 2 and page.locator("#by_cohort tr").count() >= 2
    check(page, "whatif")
    context.close()


def test_admin_moves_a_member_with_a_reason_and_finds_it_in_the_audit_log(
    browser: Any, demo: dict[str, Any]
) -> None:
    context, page = _sign_in(browser, demo, "admin")
    base = demo["base"]
    mover = demo["logins"]["crossline"][0].upper()
    target = demo["logins"]["leader"][0].upper()
    page.goto(f"{base}/console/members?q={mover}")
    check(page, "members")
    page.click(f"#members a:has-text('{mover}')")
    check(page, "member")
    page.click("text=Move to another sponsor…")
    page.fill("#sponsor_id", target)
    page.fill("#reason", "sponsor change agreed in writing, ticket 77")
    page.click("button:has-text('Preview the move')")
    assert f"→ {target}" in page.locator("#preview").inner_text()
    assert page.locator("#gv-changes tr").count() >= 2
    check(page, "move-preview")
    page.click("button:has-text('Confirm the move')")
    page.wait_for_url(f"**/console/members/{mover}?moved=1")
    page.goto(f"{base}/console/logs/audit?subject={mover}&action=member_moved")
    rows = page.locator("#audit tr").all_inner_texts()
    assert len(rows) == 2 and "ticket 77" in rows[1] and "member_moved" in rows[1]
    check(page, "audit")
    context.close()


def test_support_answers_a_help_request_and_is_refused_contacts(
    browser: Any, demo: dict[str, Any]
) -> None:
    context, page = _sign_in(browser, demo, "support")
    base = demo["base"]
    navigation = page.locator("nav.site-nav")
    assert page.locator("nav").count() == 1  # the shared layout's navigation only
    assert navigation.locator("a:has-text('Periods')").count() == 0
    navigation.locator("a:has-text('Help desk')").click()
    check(page, "helpdesk")
    page.click(f"text={SUBJECT}")
    page.fill("#body", "It is on your statement, under fast start.")
    page.click("button:has-text('Send the answer')")
    assert "Company" in page.locator("#messages").inner_text()
    assert "answered" in page.content()
    check(page, "help-request")
    asker = demo["asker"]
    page.goto(f"{base}/console/members/{asker}")
    assert page.locator("#reason-contacts").count() == 0  # no such form for support
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "fairtree_csrf")
    refused = page.request.post(f"{base}/console/members/{asker}/contacts",
                                form={"csrf_token": csrf, "reason": "checking"})  # fmt: skip
    assert refused.status == 404
    api = page.request.get(f"{base}/members/{asker}/contacts",
                           headers={"X-Access-Reason": "checking"})  # fmt: skip
    assert api.status == 404
    assert page.request.get(f"{base}/console/periods").status == 404
    context.close()


def test_staff_walk_the_company_tree_and_search_it(browser: Any, demo: dict[str, Any]) -> None:
    context, page = _sign_in(browser, demo, "support")
    base = demo["base"]
    page.locator("nav.site-nav a:has-text('Genealogy')").click()
    assert page.url == f"{base}/console/genealogy"
    assert page.locator("#path li").count() == 1  # the top of the company
    top = page.locator("#path li").inner_text()
    first = page.locator("#tree .level > li").first
    assert first.locator(".expand").count() == 1, "the top's first member has recruits"
    first.locator(".expand").click()  # loads their level in place (a fragment)
    kids = first.locator(".level > li")
    kids.first.wait_for()
    assert kids.count() >= 1 and "level 2" in kids.first.locator(".facts").first.inner_text()
    check(page, "genealogy")
    # search the whole company, open a member found, and see the path from the top
    leader = demo["logins"]["downline"][0].upper()
    page.fill("#q", leader)
    page.click("form[role=search] button:has-text('Search')")
    assert page.url.startswith(f"{base}/console/genealogy/search")
    check(page, "genealogy-search")
    page.click(f"#hits a[href$='member={leader}']")
    path = page.locator("#path li").all_inner_texts()
    assert path[0] in top and leader in path[-1] and len(path) >= 2
    page.select_option("#tree", "placement")
    page.click("button:has-text('Show')")
    assert "tree=placement" in page.url and f"member={leader}" in page.url
    assert "placement tree" in page.locator("main").inner_text()
    asker = _count(
        demo["database"],
        "SELECT count(*) FROM access_log a JOIN members m ON m.id = a.owner_member_id "
        "WHERE m.member_id = :m AND a.data_kind = 'team' AND a.record = 'placement tree'",
        m=leader,
    )
    assert asker >= 1  # the read is in the member's "who read my data"
    context.close()


def test_admin_runs_a_plan_versions_cases_and_sees_each_difference(
    browser: Any, demo: dict[str, Any]
) -> None:
    context, page = _sign_in(browser, demo, "admin")
    base = demo["base"]
    page.goto(f"{base}/console/plans")
    page.locator("#versions a").first.click()
    version_url = page.url
    page.select_option("#cases-folder", "unilevel")
    page.click("button:has-text('Run the cases')")
    _wait_for_job(page)
    page.click("text=See the cases")
    assert page.locator("#cases-passed").inner_text() == "15"  # the demo's plan is that plan
    assert page.locator("#cases-failed").inner_text() == "0"
    assert page.locator("#cases tbody tr").count() == 15
    check(page, "plan-cases")
    # a pasted case whose hand-computed pay for A is wrong fails, naming the difference
    case = Path(__file__).resolve().parents[2] / "plans/unilevel/cases/01_chain_associates.yaml"
    wrong = case.read_text().replace('A: {unilevel: "7.00"}', 'A: {unilevel: "7.50"}')
    page.goto(version_url)
    page.fill("#cases-text", wrong + "\n---\n" + case.read_text())
    check(page, "plan-version")
    page.click("button:has-text('Run the cases')")
    _wait_for_job(page)
    page.click("text=See the cases")
    assert page.locator("#cases-failed").inner_text() == "1"
    rows = page.locator("#cases tbody tr").all_inner_texts()
    assert "pasted case 1" in rows[0] and "FAIL" in rows[0]
    assert "engine: pay A unilevel: expected 7.50, got 7.00" in rows[0]
    assert "reference: pay A unilevel: expected 7.50, got 7.00" in rows[0]
    assert "pass" in rows[1]
    check(page, "plan-cases-failed")
    context.close()

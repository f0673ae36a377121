"""The member back office journeys in a real browser, on a small demo company (closed
months, a leader with a team) plus a five-level chain under the leader whose last member
has 600 recruits. Each journey checks both widths (no sideways scroll, no serious axe
violation) and saves screenshots under artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from fairtree.config import Settings
from fairtree.services.demo.seed import DemoShape, seed_demo
from fairtree.store.database import make_engine, session_scope
from fairtree.store.migrate import upgrade
from fairtree.store.models import Member, Product
from tests import factories
from tests.e2e.browser_kit import check_both_widths, launch_chromium, serve

pytestmark = pytest.mark.browser
CHAIN = [f"CHAIN{n}" for n in range(1, 6)]
WIDE_LEVEL = 600


@dataclass
class Demo:
    url: str
    logins: dict[str, tuple[str, str]]  # label -> (login, password)
    sku: str


def _seed(url: str) -> tuple[dict[str, tuple[str, str]], str]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        seeded = seed_demo(session, DemoShape(members=300, months=4))
        logins = {
            (s.who.split(":")[0] if s.role == "member" else s.login): (s.login, s.password)
            for s in seeded.sign_ins
        }
        leader = session.scalars(
            select(Member).where(func.lower(Member.member_id) == logins["leader"][0].lower())
        ).one()
        sponsor = leader
        for n, member_id in enumerate(CHAIN, start=1):
            member = _member(member_id, sponsor, f"Aaa Chain {n}", leader)
            session.add(member)
            session.flush()
            sponsor = member
        session.add_all(
            _member(f"WIDE{i:04d}", sponsor, f"Wide Member {i:04d}", leader)
            for i in range(WIDE_LEVEL)
        )
        sku = session.scalars(
            select(Product.sku).where(Product.country == leader.country, Product.pv > 0)
        ).first()
    engine.dispose()
    assert sku is not None
    return logins, sku


def _member(member_id: str, sponsor: Member, name: str, like: Member) -> Member:
    """A member living where ``like`` lives (the demo's countries differ)."""
    return factories.member(
        member_id,
        sponsor.id,
        joined_on=date(2026, 1, 5),
        country=like.country,
        currency=like.currency,
        display_name=name,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder: Path = tmp_path_factory.mktemp("journeys")
    url = f"sqlite:///{folder / 'journeys.sqlite3'}"
    upgrade(url)
    logins, sku = _seed(url)
    settings = Settings(database_url=url, outbox_dir=folder / "outbox", cookie_secure=False)
    for served in serve(settings):
        yield Demo(served, logins, sku)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


def _sign_in(browser, demo: Demo, label: str):  # type: ignore[no-untyped-def]
    login, password = demo.logins[label]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{demo.url}/app/login")
    page.fill("#login", login)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button:has-text('Sign in')")
    return context, page


def _figure(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(selector).inner_text()).strip()


def _api_token(demo: Demo, label: str) -> dict[str, str]:
    login, password = demo.logins[label]
    answer = httpx.post(
        f"{demo.url}/auth/tokens", json={"login": login, "password": password, "name": "journey"}
    )
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_rank_report_card_changes_when_an_order_is_posted(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    context, page = _sign_in(browser, demo, "leader")
    card = page.locator("#rank-card")
    assert card.is_visible() and page.locator("#next-rank").inner_text().strip()
    # The demo's plan (plans/unilevel) ranks Associate < Builder < Leader; the next rank
    # is above the rank the leader is paid as, whatever this period has reached so far.
    ranks = ["Associate", "Builder", "Leader"]
    paid_as = _figure(page, "#paid-as")
    next_rank = _figure(page, "#next-rank")
    if paid_as in ranks:
        assert next_rank == "top rank reached" or ranks.index(next_rank) > ranks.index(paid_as)
    before = page.locator("#pv").inner_text()
    check_both_widths(page, "dashboard-rank-card")
    leader_id = demo.logins["leader"][0].upper()
    order = {
        "order_id": "JOURNEY-1",
        "placed_on": date.today().isoformat(),
        "buyer_member_id": leader_id,
        "lines": [{"sku": demo.sku, "quantity": 40}],
    }
    posted = httpx.post(
        f"{demo.url}/orders", json=order, headers=_api_token(demo, "admin@demo.invalid")
    )
    assert posted.status_code == 201, posted.text
    page.reload()
    after = page.locator("#pv").inner_text()
    assert after != before and float(after.replace(",", "")) > float(before.replace(",", ""))
    check_both_widths(page, "dashboard-after-order")
    context.close()


def test_statement_line_explanation_opens_in_place(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    context, page = _sign_in(browser, demo, "leader")
    page.goto(f"{demo.url}/app/statements")
    check_both_widths(page, "statements")
    rows = page.locator("#statements tbody tr")
    with_lines = [
        i for i in range(rows.count()) if rows.nth(i).locator("td").nth(1).inner_text() != "0"
    ]
    assert with_lines, "the leader has pay in some closed month"
    rows.nth(with_lines[0]).locator("th a").click()
    page.wait_for_selector("details.explain")
    total = page.locator("#statement-total").inner_text()
    assert re.fullmatch(r"-?[\d,]+\.\d\d", total)
    page.locator("details.explain summary").first.click()
    explanation = page.locator("details.explain .explanation li").first
    explanation.wait_for()
    # The leader and the downline members the line names appear by display name, the
    # id beside it: "unilevel (unilevel) for Ravi Kim (M0000135): ...".
    leader_id = demo.logins["leader"][0].upper()
    head = explanation.inner_text().strip()
    assert re.search(r"for \S.* \(" + leader_id + r"\):", head), head
    texts = page.locator("details.explain .explanation li").all_inner_texts()
    sources = [t.strip() for t in texts if t.strip().startswith("level ")]
    assert sources and all(re.search(r"level \d+: \S.* \([A-Z0-9]+\) ", s) for s in sources), (
        sources
    )
    check_both_widths(page, "statement-explained")
    context.close()


def test_tree_expands_five_levels_and_pages_a_level_of_600(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    context, page = _sign_in(browser, demo, "leader")
    page.goto(f"{demo.url}/app/genealogy")
    for member_id in CHAIN:
        expander = page.locator(f'a.expand[aria-controls="kids-{member_id}"]')
        expander.click()
        page.locator(f"#kids-{member_id} li").first.wait_for()
        assert expander.get_attribute("aria-expanded") == "true"
    wide = page.locator(f"#kids-{CHAIN[-1]} > ul > li .node")
    assert wide.count() == 50
    page.locator(f"#kids-{CHAIN[-1]} a.more").first.click()
    page.locator(f"#kids-{CHAIN[-1]} .node").nth(99).wait_for(state="attached")
    check_both_widths(page, "genealogy-five-levels")
    page.goto(f"{demo.url}/app/genealogy?member={CHAIN[-1]}")
    assert "(600)" in page.locator("#level-title").inner_text()
    assert page.locator("#path li").count() == 6  # the leader and the five chain members
    page.click("a:has-text('Last')")
    assert "Page 12 of 12" in page.locator(".pager").first.inner_text()
    assert "551–600" in page.content()
    check_both_widths(page, "genealogy-level-600-last-page")
    context.close()


def test_search_the_downline_and_jump_with_the_path_back(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    context, page = _sign_in(browser, demo, "leader")
    page.goto(f"{demo.url}/app/genealogy/search?q=Wide+Member+0599")
    hits = page.locator("#hits a")
    assert hits.count() == 1
    hits.first.click()
    path = page.locator("#path li").all_inner_texts()
    assert path[-1] == "Wide Member 0599" and path[1] == "Aaa Chain 1" and len(path) == 7
    check_both_widths(page, "genealogy-search-result")
    context.close()


def test_upline_is_refused_the_leaders_contacts_and_customers(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    leader_id = demo.logins["leader"][0].upper()
    upline = _api_token(demo, "upline")
    for what in ("contacts", "customers"):
        refused = httpx.get(f"{demo.url}/members/{leader_id}/{what}", headers=upline)
        assert refused.status_code == 404, refused.text
    context, page = _sign_in(browser, demo, "upline")
    page.goto(f"{demo.url}/app/contacts")
    assert leader_id + "'s contact" not in page.content()
    check_both_widths(page, "upline-own-contacts")
    context.close()


def test_the_leader_edits_a_customer_and_the_upline_cannot(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    context, page = _sign_in(browser, demo, "leader")
    page.goto(f"{demo.url}/app/customers")
    page.fill("form[action='/app/customers'] input[name=name]", "Journey Customer")
    with page.expect_navigation():
        page.click("form[action='/app/customers'] button")
    added = page.locator("#customers a", has_text="Journey Customer").first
    customer_url = str(added.get_attribute("href"))
    added.click()
    page.wait_for_selector("#edit-customer")
    check_both_widths(page, "customer-edit")
    page.fill("#name", "   ")  # the browser lets blanks through; the server refuses them
    with page.expect_navigation():
        page.click("#edit-customer button[type=submit]")
    assert "name" in page.locator(".error-summary").inner_text()
    check_both_widths(page, "customer-edit-refused")
    page.fill("#name", "Renamed In Journey")
    page.fill("#country", "CA")
    with page.expect_navigation():
        page.click("#edit-customer button[type=submit]")
    assert page.url.endswith("/app/customers")
    row = page.locator("#customers tr", has_text="Renamed In Journey")
    assert row.locator("td").nth(1).inner_text().strip() == "CA"
    context.close()
    # The upline signs in and asks for the same customer's page and the API route.
    upline_context, upline_page = _sign_in(browser, demo, "upline")
    answer = upline_page.goto(f"{demo.url}{customer_url}")
    assert answer is not None and answer.status == 404
    check_both_widths(upline_page, "upline-refused-customer")
    upline_context.close()
    leader_id = demo.logins["leader"][0].upper()
    customer_id = customer_url.rsplit("/", 1)[1]
    refused = httpx.patch(
        f"{demo.url}/members/{leader_id}/customers/{customer_id}",
        json={"name": "Taken over"},
        headers=_api_token(demo, "upline"),
    )
    assert refused.status_code == 404, refused.text


def test_grant_a_view_use_it_and_revoke_it(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    leader_id = demo.logins["leader"][0].upper()
    upline_login = demo.logins["upline"][0]
    context, page = _sign_in(browser, demo, "leader")
    page.goto(f"{demo.url}/app/my-data")
    page.fill("#grantee", upline_login)
    page.check("input[name=kind_contacts]")
    page.fill("#days", "7")
    page.click("#grant-form button[type=submit]")
    page.wait_for_url(re.compile(r"/app/my-data"))
    assert upline_login in page.locator("#grants").inner_text()
    check_both_widths(page, "my-data-granted")
    upline = _api_token(demo, "upline")
    allowed = httpx.get(f"{demo.url}/members/{leader_id}/contacts", headers=upline)
    assert allowed.status_code == 200 and "Ana Ruiz" in allowed.text
    page.click("#grants button:has-text('Revoke')")
    page.wait_for_url(re.compile(r"/app/my-data"))
    assert "revoked" in page.locator("#grants").inner_text()
    refused = httpx.get(f"{demo.url}/members/{leader_id}/contacts", headers=upline)
    assert refused.status_code == 404
    page.goto(f"{demo.url}/app/access-log")
    log = page.locator("#access-log").inner_text()
    assert upline_login in log and "contacts" in log
    check_both_widths(page, "who-read-my-data")
    context.close()


def test_ask_for_help_and_see_it_answered(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    asker, asker_page = _sign_in(browser, demo, "downline")
    asker_page.goto(f"{demo.url}/app/help")
    asker_page.select_option("select[name=helper_kind]", "sponsor")
    asker_page.fill("input[name=subject]", "How do I read my statement?")
    asker_page.fill("textarea[name=body]", "Which line is my unilevel pay?")
    asker_page.click("#ask-form button[type=submit]")
    asker_page.wait_for_url(re.compile(r"/app/help"))
    assert "How do I read my statement?" in asker_page.locator("#asked-by-me").inner_text()
    helper, helper_page = _sign_in(browser, demo, "leader")
    helper_page.goto(f"{demo.url}/app/help")
    helper_page.click("#asked-of-me a:has-text('How do I read my statement?')")
    helper_page.fill("textarea[name=body]", "The unilevel group: open 'Why this amount'.")
    helper_page.click("button:has-text('Send')")
    helper_page.wait_for_load_state()
    asker_page.goto(f"{demo.url}/app/help")
    row = asker_page.locator("#asked-by-me tr", has_text="How do I read my statement?")
    assert "not yet" not in row.inner_text()
    check_both_widths(asker_page, "help-answered")
    helper.close()
    asker.close()


def test_every_page_fits_both_widths(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    context, page = _sign_in(browser, demo, "leader")
    for path in (
        "/app/earnings",
        "/app/downline",
        "/app/orders",
        "/app/customers",
        "/app/notes",
        "/app/goals",
        "/app/policies",
        "/app/my-data/close",
        "/app/no-such-page",
    ):
        page.goto(demo.url + path)
        check_both_widths(page, "page" + path.replace("/", "-"))
    context.close()

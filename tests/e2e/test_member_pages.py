"""The member back office in a real browser: Debian's Chromium, headless, against
uvicorn on a free port and a temporary SQLite database.

Skips with a message when /usr/bin/chromium is missing (fails when CI=true).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from fairtree.config import Settings
from fairtree.services.access import users
from fairtree.services.member_data import contacts
from fairtree.services.member_data.contacts import ContactFields
from fairtree.store.database import make_engine, session_scope
from fairtree.store.migrate import upgrade
from fairtree.store.models import Member
from fairtree.store.repositories.orders.orders import record_order
from tests import factories
from tests.e2e.browser_kit import check_both_widths, launch_chromium, serve

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"


def _member(member_id: str, sponsor: Member | None) -> Member:
    sponsor_pk = sponsor.id if sponsor else None
    shown = f"Shown {member_id}"
    return factories.member(member_id, sponsor_pk, joined_on=date(2026, 1, 5), display_name=shown)


def _seed(url: str) -> None:
    """Upline U sponsors T; T has three contacts (one of each consent) and a March order."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.add(factories.company())
        upline = _member("U", None)
        session.add(upline)
        session.flush()
        member = _member("T", upline)
        session.add(member)
        product = factories.product(
            "P1", name="Tea", retail_price=2500, member_price=2000, pv=2500, bv=2000
        )
        session.add(product)
        session.flush()
        order = factories.order("O1", date(2026, 3, 3), member.id)
        line = factories.order_line(product.id, 2500, 2000, quantity=2, unit_price=2000)
        record_order(session, order, [line])
        for name, consent in (("Ann Optin", "opted_in"), ("Bob Nocontact", "do_not_contact"),
                              ("Cat Unknown", "unknown")):  # fmt: skip
            fields = ContactFields(name=name, email=f"{name.split()[0].lower()}@example.test",
                                   consent=consent)  # fmt: skip
            contacts.add_contact(session, member, fields, date(2026, 3, 1))
        users.create_member_user(session, "T", PASSWORD, email="t@members.test")
        users.create_member_user(session, "U", PASSWORD, email="u@members.test")
    engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'pages.sqlite3'}"
    upgrade(url)
    _seed(url)
    settings = Settings(database_url=url, outbox_dir=folder / "outbox", cookie_secure=False)
    yield from serve(settings)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


def _signed_in(browser, server: str, login: str):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/app/")
    assert page.url.endswith("/app/login")  # signed out: redirected to sign in
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button:has-text('Sign in')")
    assert page.url == f"{server}/app/", page.url + page.content()[-1500:]
    return context, page


def test_member_signs_in_and_sees_own_volumes(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, server, "t")
    assert page.locator("h1").inner_text() == "Shown T"
    check_both_widths(page, "dashboard-without-plan")
    page.goto(f"{server}/app/genealogy")
    assert page.locator("#path").inner_text().strip() == "Shown T"
    check_both_widths(page, "genealogy-small")
    context.close()


def test_contacts_page_shows_own_contacts_and_outreach_count(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, server, "t")
    page.goto(f"{server}/app/contacts")
    check_both_widths(page, "contacts")
    rows = page.locator("#contacts tr").all_inner_texts()
    assert [r.split("\t")[0] for r in rows[1:]] == ["Ann Optin", "Bob Nocontact", "Cat Unknown"]
    count = page.locator("#outreach-count").inner_text()
    assert "Outreach list: 1 opted-in contact." in count
    assert page.locator(".left-out[data-consent=do_not_contact]").inner_text().startswith("1 ")
    with page.expect_download() as download:
        page.click("text=Download the outreach list (CSV)")
    text = Path(download.value.path()).read_text()
    assert "Ann Optin" in text and "Bob Nocontact" not in text and "Cat Unknown" not in text
    context.close()


def test_upline_team_page_shows_no_contact_or_email_data(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, server, "u")
    page.goto(f"{server}/app/genealogy")
    html = page.content()
    assert "Shown T" in html
    for private in ("Ann Optin", "Bob Nocontact", "@example.test", "@members.test"):
        assert private not in html
    page.goto(f"{server}/app/contacts")
    assert page.locator("#contacts tr").count() == 1  # U's own (empty) list, header only
    context.close()


def test_a_form_post_without_csrf_token_is_refused(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, server, "t")
    page.goto(f"{server}/app/contacts")
    page.fill("#add-contact input[name=name]", "Forged Contact")
    page.evaluate("document.querySelector('#add-contact input[name=csrf_token]').remove()")
    with page.expect_response(
        lambda r: r.url.endswith("/app/contacts") and r.request.method == "POST"
    ) as posted:
        page.click("button:has-text('Add contact')")
    assert posted.value.status == 403
    page.goto(f"{server}/app/contacts")
    assert "Forged Contact" not in page.content()
    page.fill("#add-contact input[name=name]", "Real Contact")
    page.click("button:has-text('Add contact')")
    page.wait_for_url(f"{server}/app/contacts")
    assert "Real Contact" in page.locator("#contacts").inner_text()
    context.close()

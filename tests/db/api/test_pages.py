"""The member back office through a cookie session: sign-in, own data on every page,
CSRF on every form, and an upline's team page without contact or email data."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from fairtree.api.deps import CSRF_COOKIE
from tests.factories import PASSWORD, World


def _sign_in_token(client: TestClient) -> str:
    """The sign-in form's CSRF token, as a browser gets it with the form."""
    page = client.get("/app/login")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def _sign_in(client: TestClient, who: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    token = _sign_in_token(client)
    return client.post("/app/login", data={"login": who, "password": password, "csrf_token": token})


def _browser(app: FastAPI, who: str) -> TestClient:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    response = _sign_in(client, who)
    assert response.status_code == 303 and response.headers["location"] == "/app/"
    return client


def _csrf(client: TestClient) -> str:
    return client.cookies[CSRF_COOKIE]


def test_signed_out_pages_redirect_to_sign_in(app: FastAPI, world: World) -> None:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    for path in ("/app/", "/app/contacts", "/app/team"):
        response = client.get(path)
        assert (response.status_code, response.headers["location"]) == (303, "/app/login")
    wrong = _sign_in(client, "t", "wrong password")
    assert wrong.status_code == 401 and "wrong login or password" in wrong.text


def test_contacts_page_shows_consent_and_the_outreach_count(app: FastAPI, world: World) -> None:
    client = _browser(app, "t")
    for name, consent in (("Ann", "opted_in"), ("Bob", "do_not_contact"), ("Cat", "unknown")):
        added = client.post(
            "/app/contacts",
            data={"name": name, "email": f"{name.lower()}@example.test", "consent": consent,
                  "csrf_token": _csrf(client)},
        )  # fmt: skip
        assert added.status_code == 303
    page = client.get("/app/contacts").text
    assert re.search(r"Outreach list: <strong>1</strong> opted-in contact\.", page)
    assert "1 do-not-contact (asked not to be contacted)" in page
    assert "1 unknown (has not opted in (consent unknown))" in page
    assert page.count('<td class="consent">') == 3


def test_a_form_post_without_the_csrf_token_is_refused(app: FastAPI, world: World) -> None:
    client = _browser(app, "t")
    refused = client.post("/app/contacts", data={"name": "Mallory", "consent": "opted_in"})
    assert refused.status_code == 403
    wrong = client.post("/app/contacts", data={"name": "Mallory", "csrf_token": "ftc_forged"})
    assert wrong.status_code == 403
    assert "Mallory" not in client.get("/app/contacts").text


def test_upline_team_page_shows_no_contact_or_email_data(app: FastAPI, world: World) -> None:
    owner = _browser(app, "t")
    secret = {"name": "Secret Friend", "email": "friend@example.test", "consent": "opted_in"}
    owner.post("/app/contacts", data={**secret, "csrf_token": _csrf(owner)})
    upline = _browser(app, "u3")
    assert upline.get("/app/team").headers["location"] == "/app/genealogy"
    page = upline.get("/app/genealogy?member=T").text
    assert "Name of T" in page and 'id="path"' in page
    for private in ("Secret Friend", "friend@example.test", "@members.test", "Private CT1"):
        assert private not in page
    log = owner.get("/app/access-log").text
    assert "u3" in log and '<td data-label="What">team</td>' in log  # grouped by reader and kind


def test_goals_and_policies_pages(app: FastAPI, world: World) -> None:
    client = _browser(app, "t")
    made = client.post("/app/goals", data={
        "title": "March PV", "metric": "personal_volume", "target": "120",
        "starts_on": "2026-03-01", "due_on": "2026-03-31", "csrf_token": _csrf(client),
    })  # fmt: skip
    assert made.status_code == 303
    goals = client.get("/app/goals").text
    assert "March PV" in goals and "60.00" in goals and "50.0" in goals
    negative = {"title": "x", "metric": "personal_volume", "target": "-1",
                "starts_on": "2026-03-01", "due_on": "2026-03-31"}  # fmt: skip
    bad = client.post("/app/goals", data={**negative, "csrf_token": _csrf(client)})
    assert bad.status_code == 422 and "target: must be above zero" in bad.text
    assert "has not published" in client.get("/app/policies").text


def test_staff_have_no_member_back_office(app: FastAPI, world: World) -> None:
    """Staff land on the console at sign-in; a member page sends them there, showing nothing."""
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    signed_in = _sign_in(client, "help@acme.test")
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/console/"
    contacts = client.get("/app/contacts")
    assert contacts.status_code == 303 and contacts.headers["location"] == "/console/"
    assert "@" not in contacts.text


def test_page_errors_are_html_pages_and_api_errors_stay_json(app: FastAPI, world: World) -> None:
    client = _browser(app, "t")
    missing = client.get("/app/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "Page not found" in missing.text and 'href="/app/"' in missing.text
    api = client.get("/members/NOBODY/contacts")
    assert api.status_code == 404 and api.json() == {
        "error": "not_found",
        "detail": "no such record",
    }


def test_api_docs_work_offline(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver")
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert "<script>" not in page  # started by a static file: the CSP allows no inline script
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert "SwaggerUIBundle" in client.get("/static/docs.js").text


def test_forgot_password_link_and_request(app: FastAPI, world: World) -> None:
    client = TestClient(app, base_url="https://testserver")
    assert 'href="/app/forgot-password"' in client.get("/app/login").text
    sent = client.post("/app/forgot-password", data={"login": "nobody@example.test"})
    assert sent.status_code == 200 and 'id="reset-sent"' in sent.text


def test_sign_out_ends_the_session(app: FastAPI, world: World) -> None:
    client = _browser(app, "t")
    token = _csrf(client)
    assert client.post("/app/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/app/").status_code == 303


def test_consent_changes_on_the_contacts_page_move_the_outreach_count(
    app: FastAPI, world: World
) -> None:
    client = _browser(app, "t")
    client.post("/app/contacts", data={"name": "Dee", "consent": "unknown",
                                       "csrf_token": _csrf(client)})  # fmt: skip
    page = client.get("/app/contacts").text
    assert re.search(r"Outreach list: <strong>0</strong>", page)
    contact_id = re.search(r'action="/app/contacts/(\d+)/consent"', page)[1]  # type: ignore[index]
    url = f"/app/contacts/{contact_id}/consent"
    assert client.post(url, data={"consent": "opted_in"}).status_code == 403  # no CSRF token
    changed = client.post(url, data={"consent": "opted_in", "csrf_token": _csrf(client)})
    assert changed.status_code == 303
    assert re.search(r"Outreach list: <strong>1</strong>", client.get("/app/contacts").text)
    other = _browser(app, "s")  # S cannot change T's contact through S's own page
    assert other.post(url, data={"consent": "do_not_contact", "csrf_token": _csrf(other)}
                      ).status_code == 404  # fmt: skip


def test_a_sponsor_answers_a_help_request_in_the_pages(app: FastAPI, world: World) -> None:
    asker = _browser(app, "t")
    question = {"helper_kind": "sponsor", "subject": "Taxes?", "body": "How do I file?"}
    asked = asker.post("/app/help", data={**question, "csrf_token": _csrf(asker)})
    assert asked.status_code == 303
    found = re.search(r'href="/app/help/(\d+)"', asker.get("/app/help").text)
    assert found is not None
    request_id = found[1]
    sponsor = _browser(app, "s")
    page = sponsor.get(f"/app/help/{request_id}").text
    assert "How do I file?" in page and 'id="state">open<' in page
    answer = {"body": "Ask an accountant.", "csrf_token": _csrf(sponsor)}
    answered = sponsor.post(f"/app/help/{request_id}/reply", data=answer)
    assert answered.status_code == 303
    page = asker.get(f"/app/help/{request_id}").text
    assert "Ask an accountant." in page and 'id="state">answered<' in page
    assert _browser(app, "u3").get(f"/app/help/{request_id}").status_code == 404
    closed = asker.post(f"/app/help/{request_id}/state",
                        data={"to": "closed", "csrf_token": _csrf(asker)})  # fmt: skip
    assert closed.status_code == 303
    assert 'id="state">closed<' in asker.get(f"/app/help/{request_id}").text


def test_the_sign_in_form_needs_its_csrf_token(app: FastAPI, world: World) -> None:
    """Another site cannot sign a visitor in: the form's token must match the cookie
    the sign-in page set; without it nothing is checked and no session opens."""
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    bare = client.post("/app/login", data={"login": "t", "password": PASSWORD})
    assert bare.status_code == 403 and "sign in again" in bare.text
    token = _sign_in_token(client)
    forged = client.post(
        "/app/login", data={"login": "t", "password": PASSWORD, "csrf_token": token + "x"}
    )
    assert forged.status_code == 403
    stranger = TestClient(app, base_url="https://testserver", follow_redirects=False)
    replayed = stranger.post(
        "/app/login", data={"login": "t", "password": PASSWORD, "csrf_token": token}
    )
    assert replayed.status_code == 403  # a token without its cookie is worthless
    assert CSRF_COOKIE not in client.cookies and CSRF_COOKIE not in stranger.cookies
    signed_in = client.post(
        "/app/login", data={"login": "t", "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 303 and CSRF_COOKIE in client.cookies


def test_pages_send_the_safety_headers(app: FastAPI, world: World) -> None:
    client = _browser(app, "t")
    for path in ("/app/", "/app/login", "/app/team", "/app/no-such-page"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert (
            "script-src 'self'" in policy
            and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_templates_hold_no_inline_script() -> None:
    from pathlib import Path

    import fairtree.web

    folder = Path(fairtree.web.__file__).parent / "templates"
    for template in folder.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name

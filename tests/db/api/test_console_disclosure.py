"""Console disclosure and compliance pages over a real ledger (SQLite and PostgreSQL):
the statement is the CLI's, downloads are its files, the claim check states its
population, publishing is confirmed, audited and done once per form, and compliance
pages its flagged members."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fairtree.disclosure import render, render_compliance, render_pdf
from fairtree.money import currency_exponent
from fairtree.services.access.users import create_staff_user
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.disclosure.compliance import compliance_report
from fairtree.services.disclosure.statement import statement_for_year
from fairtree.store.models import AuditRecord, DisclosurePublication
from tests.factories import seed_company

PASSWORD = "correct horse battery"


def _company(engine: Engine) -> None:
    with Session(engine) as session:
        seed_company(session)
        close_period(session, "2026-03")
        finalize_run(session, "2026-03", {})
        create_staff_user(session, "boss@acme.test", "admin", PASSWORD)
        create_staff_user(session, "desk@acme.test", "support", PASSWORD)
        session.commit()


def _signed_in(app: FastAPI, login: str) -> TestClient:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/app/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    answer = client.post(
        "/app/login", data={"login": login, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/console/"
    return client


def _fields(html: str, form_id: str) -> dict[str, str]:
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S)
    assert form is not None, html
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def test_statement_downloads_claim_and_publish_once(
    committing_engine: Engine, app: FastAPI
) -> None:
    _company(committing_engine)
    client = _signed_in(app, "boss@acme.test")
    empty = client.get("/console/disclosure")
    assert empty.status_code == 200 and "<option selected>2026</option>" not in empty.text
    assert "<option>2026</option>" in empty.text
    # The range form opens on the twelve months ending with the latest finalized period.
    assert re.findall(r'type="date" id="(from|to)" name="\1" value="([^"]*)"', empty.text) == [
        ("from", "2025-04-01"),
        ("to", "2026-04-01"),
    ]
    page = client.get("/console/disclosure?year=2026")
    assert page.status_code == 200
    assert "Paid nothing: 2 (50.0%)" in page.text and "Participants: 4" in page.text
    with Session(committing_engine) as session:
        statement = statement_for_year(session, 2026)
    assert render.html_body(statement) in page.text  # the CLI's statement, as it is
    for fmt, writer in (("json", render.to_json), ("csv", render.to_csv)):
        got = client.get(f"/console/disclosure/statement.{fmt}?year=2026")
        assert got.status_code == 200 and got.text == writer(statement)
        assert "attachment" in got.headers["content-disposition"]
    pdf = client.get("/console/disclosure/statement.pdf?year=2026")
    assert pdf.content == render_pdf.to_pdf(statement) and pdf.content.startswith(b"%PDF")
    ranged = client.get("/console/disclosure?from=2026-03-01&to=2026-04-01")
    assert ranged.status_code == 200 and "2026-03-01 to 2026-04-01" in ranged.text
    bad = client.get("/console/disclosure?from=2026-04-01&to=2026-03-01")
    assert bad.status_code == 422 and "to: the end must come after the start" in bad.text
    # A claim of 5.00 a month: A's 7.34 reached it gross, C's 4.00 did not; net of A's own
    # purchases nobody did. All four participants are the population.
    claim = client.get("/console/disclosure?year=2026&amount=5&per=month")
    assert claim.status_code == 200
    table = re.search(r'<table id="claim-table">.*?</table>', claim.text, re.S)
    assert table is not None
    cells = re.findall(r'<td class="num">([^<]+)</td>', table.group(0))
    assert cells[:4] == ["1", "25.0%", "0", "0.0%"], cells
    assert "Population: <strong>" in claim.text and "(4)" in claim.text
    refused = client.get("/console/disclosure?year=2026&amount=-3&per=month")
    assert refused.status_code == 200 and "amount: must be more than 0" in refused.text

    csrf = client.cookies["fairtree_csrf"]
    no_reason = client.post(
        "/console/disclosure/publish", data={"year": "2026", "reason": " ", "csrf_token": csrf}
    )
    assert no_reason.status_code == 422 and "reason: is required" in no_reason.text
    preview = client.post(
        "/console/disclosure/publish",
        data={"year": "2026", "reason": "annual statement", "csrf_token": csrf},
    )
    assert preview.status_code == 200 and "Confirm: publish 2026" in preview.text
    with Session(committing_engine) as session:
        assert session.scalars(select(DisclosurePublication)).first() is None  # not yet
    fields = {**_fields(preview.text, "publish-confirm"), "csrf_token": csrf}
    first = client.post("/console/disclosure/publish/confirm", data=fields)
    second = client.post("/console/disclosure/publish/confirm", data=fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == "/console/disclosure?year=2026&published=2026"
    with Session(committing_engine) as session:
        audits = list(
            session.scalars(select(AuditRecord).where(AuditRecord.action == "disclosure.publish"))
        )
    assert [(a.subject_id, a.reason) for a in audits] == [("2026", "annual statement")]
    public = client.get("/disclosure/2026.json").json()
    assert public == json.loads(render.to_json(statement))


def test_support_staff_see_no_disclosure_or_compliance(
    committing_engine: Engine, app: FastAPI
) -> None:
    _company(committing_engine)
    client = _signed_in(app, "desk@acme.test")
    assert client.get("/console/disclosure?year=2026").status_code == 404
    assert client.get("/console/compliance?period=2026-03").status_code == 404
    assert client.get("/console/compliance/2026-03.csv").status_code == 404


def test_compliance_page_pages_flagged_members_and_downloads(
    committing_engine: Engine, app: FastAPI
) -> None:
    _company(committing_engine)
    client = _signed_in(app, "boss@acme.test")
    with Session(committing_engine) as session:
        report = compliance_report(session, "2026-03")
    exponent = currency_exponent(report.currency)
    data = render_compliance.report_data(report, exponent)
    page = client.get("/console/compliance?period=2026-03")
    assert page.status_code == 200
    for monitor in data["monitors"]:
        assert f">{monitor['flagged']:,}</td>" in page.text
    flagged = next(m for m in data["monitors"] if m["flagged"] >= 2)
    name = flagged["monitor"]
    one = client.get(f"/console/compliance?period=2026-03&monitor={name}&per_page=1&sort=member")
    ids = sorted(row["member"] for row in flagged["members"])
    body = re.search(r'<table id="flagged-members".*?</table>', one.text, re.S)
    assert body is not None and f">{ids[0]}</td>" in body.group(0)
    assert f">{ids[1]}</td>" not in body.group(0)
    assert f"Page 1 of {len(ids)}" in one.text
    last = client.get(
        f"/console/compliance?period=2026-03&monitor={name}&per_page=1&sort=member&dir=desc"
    )
    assert f">{ids[-1]}</td>" in last.text
    csv_file = client.get("/console/compliance/2026-03.csv")
    assert csv_file.text == render_compliance.to_csv(report, exponent)
    json_file = client.get("/console/compliance/2026-03.json")
    assert json_file.json() == json.loads(render_compliance.to_json(report, exponent))
    missing = client.get("/console/compliance?period=2026-05")
    assert missing.status_code == 404 and "has no finalized run" in missing.text
    wrong = client.get("/console/compliance?period=March")
    assert wrong.status_code == 422

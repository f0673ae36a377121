"""The public income disclosure page: served without sign-in once a year is published."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fairtree.errors import PermissionDeniedError
from fairtree.services.access.principal import Principal
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.disclosure.publishing import publish_year, withdraw_year
from fairtree.store.models import AuditRecord
from tests.factories import seed_company


def published_company(engine: Engine) -> None:
    with Session(engine) as session:
        seed_company(session)
        close_period(session, "2026-03")
        finalize_run(session, "2026-03", {})
        session.commit()


def test_a_year_is_public_only_once_published(
    committing_engine: Engine, client: TestClient
) -> None:
    published_company(committing_engine)
    before = client.get("/disclosure/2026")
    assert before.status_code == 404
    assert "has not published" in before.text
    with Session(committing_engine) as session:
        publish_year(session, None, 2026, "annual statement")
        session.commit()
    page = client.get("/disclosure/2026")
    assert page.status_code == 200
    assert "Paid nothing: 2 (50.0%)" in page.text
    assert "<svg" in page.text  # the charts, each beside its table
    data = client.get("/disclosure/2026.json").json()
    assert data["participants"] == 4 and data["paid_nothing_share"] == "0.5000"
    with Session(committing_engine) as session:
        (record,) = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "disclosure.publish")
        )
        assert (record.subject_id, record.reason) == ("2026", "annual statement")
        assert json.loads(json.dumps(record.after))["year"] == 2026
        withdraw_year(session, None, 2026, "restated")
        session.commit()
    assert client.get("/disclosure/2026").status_code == 404


def test_only_an_admin_publishes(committing_engine: Engine) -> None:
    published_company(committing_engine)
    member = Principal(
        user_id=1,
        login="ann",
        role="member",
        member_pk=1,
        member_id="A",
        via="session",
        credential_id=1,
    )
    with Session(committing_engine) as session:
        try:
            publish_year(session, member, 2026, "no")
        except PermissionDeniedError as error:
            assert "only an admin" in str(error)
        else:
            raise AssertionError("a member published a statement")

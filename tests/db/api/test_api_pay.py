"""Statements and rank progress over the API: the member's own, nobody else's."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from fairtree.services.access import sign_in
from fairtree.services.access.users import create_member_user
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.orders.rank_progress import rebuild_period_volumes
from fairtree.store.database import session_scope
from fairtree.store.models import Member
from tests.factories import seed_company


def _tokens(engine: Engine, settings) -> dict[str, str]:
    tokens = {}
    with session_scope(engine) as session:
        seed_company(session)
        session.execute(
            update(Member).where(Member.member_id == "B").values(display_name="Bo Baker")
        )
        close_period(session, "2026-03")
        finalize_run(session, "2026-03")
        rebuild_period_volumes(session, "2026-03")  # orders were written straight in
        for name in ("A", "B"):
            user = create_member_user(session, name, f"password of {name}!")
            tokens[name] = sign_in.issue_api_token(session, settings, user, "test").token
    return tokens


def _get(client: TestClient, token: str, path: str):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_a_member_reads_their_statement_with_explanations(client, committing_engine, settings):
    tokens = _tokens(committing_engine, settings)
    response = _get(client, tokens["A"], "/members/A/statements/2026-03")
    assert response.status_code == 200
    body = response.json()
    # hand-computed in tests/plans/unilevel_compression_basic.yaml: A earns 7.34 in 2026-03
    assert (body["period"], body["currency"], body["total"]) == ("2026-03", "USD", "7.34")
    assert [line["bonus_id"] for line in body["lines"]] == ["uni"]
    assert body["lines"][0]["explanation"], "every line carries its derivation"
    # Members in A's downline are named by display name beside their id.
    assert (
        "  level 1: Bo Baker (B) 20.00 points x 10% [orders O-B]" in body["lines"][0]["explanation"]
    )
    csv_text = _get(client, tokens["A"], "/members/A/statements/2026-03/csv").text
    assert "7.34" in csv_text


def test_no_one_else_reads_a_statement_or_progress(client, committing_engine, settings):
    tokens = _tokens(committing_engine, settings)
    # A sponsors B: the sponsor sees neither B's statement nor B's progress, and B not A's
    for token, path in (
        (tokens["A"], "/members/B/statements/2026-03"),
        (tokens["A"], "/members/B/rank-progress"),
        (tokens["B"], "/members/A/statements/2026-03"),
    ):
        response = _get(client, token, path)
        assert (response.status_code, response.json()["error"]) == (404, "not_found")


def test_rank_progress_shows_what_the_next_rank_needs(client, committing_engine, settings):
    tokens = _tokens(committing_engine, settings)
    response = _get(client, tokens["B"], "/members/B/rank-progress?on=2026-03-20")
    assert response.status_code == 200
    body = response.json()
    assert (body["member_id"], body["period"]) == ("B", "2026-03")
    # B bought 20 PV in March; the plan's activity needs 50 PV, so bronze still needs 30
    assert body["pv"] == "20.00"
    assert body["next_rank"] == "bronze"
    activity = next(n for n in body["needs"] if n["condition"] == "active_pv")
    assert (activity["have"], activity["need"], activity["missing"]) == ("20.00", "50.00", "30.00")


def test_the_team_view_shows_paid_as_ranks_of_the_closed_period(
    client, committing_engine, settings
):
    tokens = _tokens(committing_engine, settings)
    body = _get(client, tokens["A"], "/members/A/team?period=2026-03&depth=3").json()
    ranks = {row["member_id"]: row["rank"] for row in body["members"]}
    # by hand (active at PV 50; silver at GV 150): A PV 100, GV 230 -> silver;
    # B PV 20 -> inactive, no rank; C PV 60, GV 110 -> bronze; D PV 50 -> bronze
    assert ranks == {"A": "silver", "B": None, "C": "bronze", "D": "bronze"}
    before_close = _get(client, tokens["A"], "/members/A/team?period=2026-04").json()
    assert {row["rank"] for row in before_close["members"]} == {None}


def test_statements_are_explained_on_the_read_replica_when_one_is_set(
    committing_engine, settings, tmp_path
):
    """The statement is read through FAIRTREE_READ_DATABASE_URL's database: a replica
    that has not caught up (here: an empty database) answers no run, while the
    authorization and its access log stay on the primary."""
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from fairtree.api.app import create_app
    from fairtree.store.migrate import upgrade

    tokens = _tokens(committing_engine, settings)
    lagging = f"sqlite:///{tmp_path / 'replica.sqlite3'}"
    upgrade(lagging)
    with_replica = replace(settings, read_database_url=lagging)
    app = create_app(with_replica, engine=committing_engine)
    with TestClient(app, base_url="https://testserver") as replica_client:
        response = _get(replica_client, tokens["A"], "/members/A/statements/2026-03")
    app.state.read_engine.dispose()
    assert response.status_code == 404
    own = create_app(settings, engine=committing_engine)
    with TestClient(own, base_url="https://testserver") as primary_client:
        assert _get(primary_client, tokens["A"], "/members/A/statements/2026-03").status_code == 200


def test_a_long_explanation_opens_a_page_at_a_time(app, committing_engine, settings, monkeypatch):  # type: ignore[no-untyped-def]
    from fairtree.store.models import AccessLogEntry
    from fairtree.web import pages_statements

    _tokens(committing_engine, settings)
    monkeypatch.setattr(pages_statements, "EXPLANATION_PAGE", 3)  # A's has 7 lines
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/app/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    signed_in = client.post(
        "/app/login", data={"login": "a", "password": "password of A!", "csrf_token": token[1]}
    )
    assert signed_in.status_code == 303

    def team_reads() -> int:
        with session_scope(committing_engine) as session:
            return len(
                session.scalars(
                    select(AccessLogEntry).where(AccessLogEntry.data_kind == "team")
                ).all()
            )

    first = client.get("/app/statements/2026-03/lines/0")  # without script: a page
    assert first.status_code == 200
    assert re.findall(r"<li>([^<]*)</li>", first.text) == [
        "uni (unilevel) for A: 7.34 USD",
        "  rule: unilevel 2 levels on BV, compression dynamic, this rank is paid 2 level(s)",
        "  rank: silver",
    ]
    more = '<a class="more" href="/app/statements/2026-03/lines/0?from=3"'
    assert more in first.text and "Show the next 3 of 4 more lines" in first.text
    assert team_reads() == 0  # no one else named on this page, no one else's name read
    # script asks the next page as a fragment: its lines alone, to follow the first ones
    second = client.get("/app/statements/2026-03/lines/0?from=3", headers={"X-Fragment": "1"})
    assert "<ul" not in second.text and "<html" not in second.text
    assert re.findall(r"<li>([^<]*)</li>", second.text) == [
        "  level 1: Bo Baker (B) 20.00 points x 10% [orders O-B]",
        "  level 1: C 33.35 points x 10% (compressed past Bo Baker (B)) [orders O-C]",
        "  level 2: D 40.00 points x 5% (compressed past Bo Baker (B)) [orders O-D]",
    ]
    assert 'href="/app/statements/2026-03/lines/0?from=6"' in second.text
    assert team_reads() == 3  # B, C and D: the members this page named
    last = client.get("/app/statements/2026-03/lines/0?from=6")
    assert re.findall(r"<li>([^<]*)</li>", last.text) == ["  exact 7.335 USD, rounded half_up"]
    assert "more lines" not in last.text and "lines 7 to 7 of 7" in last.text

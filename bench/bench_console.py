"""Benchmark: console pages on an existing database with finalized periods.

``python bench/bench_console.py DATABASE_URL LOGIN PASSWORD [PERIOD]`` signs in as staff
through the page, then times (median of 5, after one warm-up): a member search, the
review page of a finalized period, and one what-if of that period with the latest plan
version as the draft (both plans are evaluated in full either way). Prints one JSON line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from fastapi.testclient import TestClient

from fairtree.api.app import create_app
from fairtree.config import Settings
from fairtree.services.commissions.whatif import what_if
from fairtree.store.database import make_engine, session_scope
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import runs


def _median_ms(client: TestClient, path: str, times: int = 5) -> float:
    assert client.get(path).status_code == 200, path
    spans = []
    for _ in range(times):
        started = time.perf_counter()
        answer = client.get(path)
        spans.append(time.perf_counter() - started)
        assert answer.status_code == 200, path
    return round(statistics.median(spans) * 1000, 1)


def main() -> None:
    url, login, password = sys.argv[1:4]
    engine = make_engine(url)
    with session_scope(engine) as session:
        company = runs.the_company(session)
        finalized = runs.finalized_runs(session, company.id)
        period = sys.argv[4] if len(sys.argv) > 4 else finalized[-1].period_key
        members = company_repo.search_members(session, None, None, 1, 0)
        members_count = finalized[-1].members_count
        plan = company_repo.plan_versions(session)[-1].yaml_text
    sample = members[0][0].member_id[:-2] if members else "1"
    settings = Settings(database_url=url, cookie_secure=False, run_jobs=False)
    with TestClient(create_app(settings, engine=engine), base_url="http://localhost") as client:
        signed = client.post("/app/login", data={"login": login, "password": password},
                             follow_redirects=False)  # fmt: skip
        assert signed.status_code == 303, signed.text
        search_ms = _median_ms(client, f"/console/members?q={sample}")
        review_ms = _median_ms(client, f"/console/periods/{period}")
    started = time.perf_counter()
    with session_scope(engine) as session:
        summary = what_if(session, period, plan, "same plan")
    what_if_s = round(time.perf_counter() - started, 2)
    print(json.dumps({"members": members_count, "period": period, "search_ms": search_ms,
                      "review_ms": review_ms, "what_if_s": what_if_s,
                      "what_if_members": summary["members"]}))  # fmt: skip


if __name__ == "__main__":
    main()

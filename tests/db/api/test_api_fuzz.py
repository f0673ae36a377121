"""Schemathesis over every operation of the OpenAPI document, through the ASGI
transport: no answer is a server error, and every documented answer matches its schema.

Each operation gets a bounded number of generated requests, valid (positive) and
invalid (negative), signed in as a member (T) for member routes and as an admin for
admin routes and order intake, with path ids pinned to real records half of the time
so the deep code runs. Every case gets a fresh bearer token, so a generated sign-out
or token revocation cannot blind the cases after it.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from api_world import World, build_world
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import Engine

from fairtree.api.app import create_app
from fairtree.config import Settings
from fairtree.services.access import sign_in
from fairtree.store.database import session_scope
from fairtree.store.models import User

EXAMPLES_PER_OPERATION = 10
REAL_IDS = {
    "member_id": "T",
    "order_id": "OT1",
    "customer_id": "CT1",
    "version": "v1",
}


def _fresh_token(engine: Engine, world: World, who: str) -> str:
    with session_scope(engine) as session:
        user = session.get(User, world.user_ids[who])
        return sign_in.issue_api_token(session, world.settings, user, "fuzz").token


@pytest.mark.slow
def test_no_server_errors_and_answers_match_the_schema(
    committing_engine: Engine, db_url: str, tmp_path
) -> None:
    config = Settings(database_url=db_url, outbox_dir=tmp_path / "outbox", max_request_bytes=50_000)
    app: FastAPI = create_app(config, engine=committing_engine)
    world = build_world(committing_engine, config)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for operation in operations:
        who = "admin" if operation.path.startswith(("/admin", "/orders")) else "T"
        names = {p.name for p in operation.path_parameters}
        pinned = {k: v for k, v in REAL_IDS.items() if k in names}
        for mode, path_parameters in (
            (GenerationMode.POSITIVE, pinned or None),
            (GenerationMode.POSITIVE, None),
            (GenerationMode.NEGATIVE, None),
        ):
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case: schemathesis.Case) -> None:
                token = _fresh_token(committing_engine, world, who)
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                statuses[response.status_code] += 1
                try:
                    case.validate_response(
                        response, checks=[not_a_server_error, response_schema_conformance]
                    )
                except (Exception, BaseExceptionGroup) as error:  # collect all, then fail
                    failures.append(f"{operation.label} [{mode}]: {str(error)[:400]}")

            try:
                run()
            except Unsatisfiable:
                # Nothing to make invalid (an operation without parameters or body).
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert failures == [], "\n".join(failures)
    # The run reached real records and real refusals, not just one kind of answer.
    assert sum(statuses.values()) > 10 * len(operations)
    assert {200, 404, 422} <= set(statuses), statuses

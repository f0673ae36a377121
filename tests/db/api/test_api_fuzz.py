"""Schemathesis over every operation of the OpenAPI document, through the ASGI
transport: no answer is a server error, and every documented answer matches its schema.

Besides schemathesis' own valid and invalid requests, dates are drawn from the whole
calendar (years 1 to 9999, not only plausible ones), and a second run takes generated
bodies and puts in each field, one at a time, a hostile value: wrong JSON types (true,
"1", 1.0, null, lists, objects), huge numbers as numbers and as text, extreme dates and
structures nested hundreds of levels deep; and every operation that takes a body is
sent an oversized body in chunks, without Content-Length. None may be a server error;
the oversized ones are the documented 413.

Each operation gets a bounded number of generated requests, valid (positive) and
invalid (negative), signed in as a member (T) for member routes and as an admin for
admin routes and order intake, with path ids pinned to real records half of the time
so the deep code runs. Every case gets a fresh bearer token, so a generated sign-out
or token revocation cannot blind the cases after it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.schemas import APIOperation, BaseSchema
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import Engine

from fairtree.api.app import create_app
from fairtree.config import Settings
from fairtree.services.access import sign_in
from fairtree.store.database import session_scope
from fairtree.store.models import User
from tests.factories import World, build_world

EXAMPLES_PER_OPERATION = 10
EXTREME_DATES = ("0001-01-01", "1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01",
                 "9999-12-31")  # fmt: skip
# Dates anywhere in the calendar, and often right at the edges of the supported range.
schemathesis.openapi.format(
    "date", st.sampled_from(EXTREME_DATES) | st.dates().map(lambda day: day.isoformat())
)


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


HOSTILE_VALUES: tuple[object, ...] = (
    True,
    "1",
    1.0,
    None,
    [1],
    {"n": 1},
    10**30,
    -(10**30),
    "99999999999999999999999999",
    "1e400",
    "-1e400",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    _nested(300),
    _nested(700),
    "plan: " + "[" * 600 + "]" * 600,
)
REAL_IDS = {
    "member_id": "T",
    "order_id": "OT1",
    "customer_id": "CT1",
    "version": "v1",
}


def _fresh_token(engine: Engine, world: World, who: str) -> str:
    with session_scope(engine) as session:
        user = session.get_one(User, world.user_ids[who])
        return sign_in.issue_api_token(session, world.settings, user, "fuzz").token


@pytest.mark.slow
def test_no_server_errors_and_answers_match_the_schema(
    committing_engine: Engine, db_url: str, tmp_path
) -> None:
    config = Settings(database_url=db_url, outbox_dir=tmp_path / "outbox", max_request_bytes=50_000)
    app: FastAPI = create_app(config, engine=committing_engine)
    world = build_world(committing_engine, config)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = _operations(schema)
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


def _leaves(body: object, path: tuple = ()) -> list[tuple]:
    """Paths to every value in a JSON body (the body itself for a scalar)."""
    if isinstance(body, dict) and body:
        return [leaf for key, value in body.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(body, list) and body:
        return [leaf for i, value in enumerate(body) for leaf in _leaves(value, (*path, i))]
    return [path]


def _operations(schema: BaseSchema) -> list[APIOperation]:
    """Every operation of the schema; one it cannot describe raises its error."""
    found = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        found.append(result.ok())
    return found


def _replaced(body: object, path: tuple, value: object) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(body) if isinstance(body, dict) else list(body)  # type: ignore[call-overload]
    copy[head] = _replaced(copy[head], tuple(rest), value)
    return copy


def _oversized(limit: int):  # type: ignore[no-untyped-def]
    yield b'{"x": "'
    for _ in range(limit // 8192 + 2):
        yield b"x" * 8192
    yield b'"}'


@pytest.mark.slow
def test_hostile_values_in_every_field_and_chunked_oversized_bodies(
    committing_engine: Engine, db_url: str, tmp_path
) -> None:
    limit = 50_000
    config = Settings(database_url=db_url, outbox_dir=tmp_path / "outbox", max_request_bytes=limit)
    app: FastAPI = create_app(config, engine=committing_engine)
    world = build_world(committing_engine, config)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    with_body = 0
    for operation in _operations(schema):
        if not operation.body:
            continue
        with_body += 1
        who = "admin" if operation.path.startswith(("/admin", "/orders")) else "T"
        names = {p.name for p in operation.path_parameters}
        pinned = {k: v for k, v in REAL_IDS.items() if k in names}
        strategy = operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE, path_parameters=pinned or None
        )

        @settings(
            max_examples=8,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy, data=st.data())
        def run(case: schemathesis.Case, data: st.DataObject) -> None:
            if not isinstance(case.body, dict | list):
                return
            leaves = _leaves(case.body)
            leaf = leaves[data.draw(st.integers(0, len(leaves) - 1))]
            value = HOSTILE_VALUES[data.draw(st.integers(0, len(HOSTILE_VALUES) - 1))]
            case.body = _replaced(case.body, leaf, value)
            token = _fresh_token(committing_engine, world, who)
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(
                    f"{operation.label} {leaf}={str(value)[:40]}: {response.status_code}"
                )

        run()
        token = _fresh_token(committing_engine, world, who)
        path = operation.path
        for name in names:
            path = path.replace(f"{{{name}}}", REAL_IDS.get(name, "1"))
        with TestClient(app) as client:
            answer = client.request(
                operation.method.upper(),
                path,
                content=_oversized(limit),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
        if answer.status_code != 413:
            failures.append(f"{operation.label} chunked oversized body: {answer.status_code}")
    assert failures == [], "\n".join(failures)
    assert with_body >= 10
    assert 422 in statuses, statuses

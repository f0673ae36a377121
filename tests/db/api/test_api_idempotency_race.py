"""Two parallel requests with the same Idempotency-Key: exactly one creates.

Real parallel connections on PostgreSQL: the unique index on (user, key) makes the
second insert wait for the first transaction and then fail, which is answered as a
conflict (or, if the first already committed, as a replay of its answer).
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError
from fairtree.services.access import grants
from fairtree.services.access.idempotency import fingerprint, run_once
from fairtree.services.access.sign_in import principal_for_api_token
from fairtree.store.database import session_scope
from fairtree.store.models import AccessGrant, Member
from tests.factories import World


@pytest.mark.postgres
def test_racing_duplicates_create_once(world: World, committing_engine: Engine) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[tuple[str, object]] = []

    def request() -> None:
        try:
            with session_scope(committing_engine) as session:
                principal = principal_for_api_token(session, world.tokens["T"])
                assert principal is not None  # T's token is valid
                owner = session.get_one(Member, world.member_pks["T"])

                def create() -> tuple[int, object]:
                    made = grants.create_grant(session, owner, "d", ["goals"], 5)
                    time.sleep(0.3)  # hold the key row while the other request arrives
                    return 201, {"id": made.id}

                barrier.wait()
                answer, replayed = run_once(
                    session, principal, "race-1", fingerprint("POST", "/g", {"x": 1}), create
                )
            outcomes.append(("replayed" if replayed else "created", answer))
        except ConflictError as error:
            outcomes.append(("conflict", str(error)))

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    kinds = sorted(kind for kind, _ in outcomes)
    # With both inside their transactions at once, the loser hits the unique index.
    assert kinds == ["conflict", "created"], outcomes
    with Session(committing_engine) as session:
        count = session.scalar(
            select(func.count()).select_from(AccessGrant).where(AccessGrant.kinds == "goals")
        )
    assert count == 1

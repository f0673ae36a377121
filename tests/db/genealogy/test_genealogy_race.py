"""Enrollments racing for placement slots, each thread on its own connection.

PostgreSQL runs the writers truly in parallel: a barrier makes two enrollments pick the
same open slot before either writes, so the unique slot constraint must turn one away
and the retry must land it in the next open slot. SQLite serializes writers; the same
parallel runs must end in the same tree there.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fairtree.errors import SlotTakenError
from fairtree.services.network.enrollment import Enrollment, NewMember, enroll
from fairtree.services.network.genealogy import terminate
from fairtree.store.database import make_session_factory, session_scope
from fairtree.store.models import Member
from fairtree.store.repositories.network import genealogy as tree_repo
from tests.db.genealogy.tree_reads import slots, sponsors
from tests.factories import ADMIN, add_company, add_root

JAN_2 = date(2026, 1, 2)


def _seed(engine: Engine, placement: str, rule: str | None, width: int | None) -> None:
    with session_scope(engine) as session:
        add_company(session, placement, rule, width)
        add_root(session)


def _enroll_committed(
    engine: Engine, member_id: str, sponsor: str, position: str | None = None
) -> Enrollment:
    with session_scope(engine) as session:
        return enroll(
            session,
            ADMIN,
            NewMember(member_id, member_id, JAN_2),
            sponsor,
            placement_parent_id=sponsor if position else None,
            placement_position=position,
        )


def _duplicate_slots(session: Session) -> list[tuple[int | None, str | None, int]]:
    query = (
        select(Member.placement_parent_id, Member.placement_position, func.count())
        .where(Member.placement_parent_id.is_not(None))
        .group_by(Member.placement_parent_id, Member.placement_position)
        .having(func.count() > 1)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def _matrix_slots_breadth_first(
    placed: dict[str, tuple[str | None, str | None]], root: str, width: int, count: int
) -> list[tuple[str, str]]:
    """The first ``count`` slots under ``root`` in spillover order, from the built tree."""
    child = {(parent, position): member for member, (parent, position) in placed.items()}
    order: list[tuple[str, str]] = []
    queue = deque([root])
    while queue and len(order) < count:
        node = queue.popleft()
        for position in range(1, width + 1):
            order.append((node, str(position)))
            below = child.get((node, str(position)))
            if below is not None:
                queue.append(below)
    return order[:count]


def test_parallel_matrix_enrollments_fill_slots_in_spillover_order(
    committing_engine: Engine,
) -> None:
    width, workers, per_worker = 3, 8, 4
    _seed(committing_engine, "matrix", None, width)
    names = [f"N{w}-{k}" for w in range(workers) for k in range(per_worker)]

    def run(worker: int) -> list[Enrollment]:
        mine = names[worker * per_worker : (worker + 1) * per_worker]
        return [_enroll_committed(committing_engine, name, "ROOT") for name in mine]

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = [item for batch in pool.map(run, range(workers)) for item in batch]
    assert len(results) == len(names)
    with session_scope(committing_engine) as session:
        assert _duplicate_slots(session) == []
        placed = slots(session)
        in_join_order = session.scalars(
            select(Member.member_id).where(Member.member_id != "ROOT").order_by(Member.id)
        ).all()
    assert len(placed) == len(names) + 1
    expected = _matrix_slots_breadth_first(placed, "ROOT", width, len(names))
    # No gap: the members fill exactly the first N slots breadth first, in join order.
    assert [placed[name] for name in in_join_order] == expected
    assert expected[:4] == [("ROOT", "1"), ("ROOT", "2"), ("ROOT", "3"), (expected[3][0], "1")]


def test_two_sponsors_racing_for_one_slot_both_end_up_placed(committing_engine: Engine) -> None:
    """ROOT and A both aim at A's left slot (outer left); one gets it, the other goes below."""
    _seed(committing_engine, "binary", "outer_left", None)
    _enroll_committed(committing_engine, "A", "ROOT")
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_enroll_committed, committing_engine, "X", "ROOT")
        second = pool.submit(_enroll_committed, committing_engine, "Y", "A")
        first.result(), second.result()
    with session_scope(committing_engine) as session:
        placed = slots(session)
        assert _duplicate_slots(session) == []
    assert {placed["X"], placed["Y"]} in (
        {("A", "L"), ("X", "L")},
        {("A", "L"), ("Y", "L")},
    )


@pytest.mark.postgres
def test_forced_collision_is_retried_into_the_next_open_slot(
    committing_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(committing_engine, "binary", "outer_left", None)
    _enroll_committed(committing_engine, "A", "ROOT")
    barrier = threading.Barrier(2, timeout=20)
    attempts: list[tuple[str, int | None, str | None]] = []
    waited = threading.local()
    original = tree_repo.add_member

    def add_after_both_chose(session: Session, member: Member) -> Member:
        attempts.append((member.member_id, member.placement_parent_id, member.placement_position))
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()  # both have chosen their slot; now both write
        return original(session, member)

    monkeypatch.setattr(tree_repo, "add_member", add_after_both_chose)
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_enroll_committed, committing_engine, "X", "ROOT")
        second = pool.submit(_enroll_committed, committing_engine, "Y", "A")
        results = {r.member_id: r for r in (first.result(), second.result())}
    first_tries = {(parent, position) for _, parent, position in attempts[:2]}
    assert len(first_tries) == 1  # both chose the same slot (A, L)
    assert len(attempts) == 3  # exactly one retry
    loser = attempts[2][0]
    winner = "X" if loser == "Y" else "Y"
    assert (results[winner].placement_parent_id, results[winner].placement_position) == ("A", "L")
    assert (results[loser].placement_parent_id, results[loser].placement_position) == (winner, "L")
    with session_scope(committing_engine) as session:
        assert _duplicate_slots(session) == []


@pytest.mark.postgres
def test_a_slot_chosen_by_hand_goes_to_one_racer_only(
    committing_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(committing_engine, "binary", "outer_left", None)
    _enroll_committed(committing_engine, "A", "ROOT")
    barrier = threading.Barrier(2, timeout=20)
    original = tree_repo.add_member

    def add_after_both_chose(session: Session, member: Member) -> Member:
        barrier.wait()
        return original(session, member)

    monkeypatch.setattr(tree_repo, "add_member", add_after_both_chose)

    def try_enroll(name: str, sponsor: str) -> str:
        try:
            with session_scope(committing_engine) as session:
                enroll(
                    session,
                    ADMIN,
                    NewMember(name, name, JAN_2),
                    sponsor,
                    placement_parent_id="A",
                    placement_position="R",
                )
            return "placed"
        except SlotTakenError as error:
            assert f"member '{name}' [placement_position]" in str(error)
            return "refused"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(try_enroll, ["X", "Y"], ["ROOT", "A"]))
    assert outcomes == ["placed", "refused"]
    with session_scope(committing_engine) as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 3
        assert _duplicate_slots(session) == []


@pytest.mark.postgres
def test_a_termination_waits_for_an_enrollment_under_the_member(
    committing_engine: Engine,
) -> None:
    """A recruit whose enrollment commits while the termination waits is rolled up too."""
    _seed(committing_engine, "binary", "outer_left", None)
    _enroll_committed(committing_engine, "A", "ROOT")

    def terminate_a() -> list[str]:
        with session_scope(committing_engine) as session:
            return terminate(session, ADMIN, "A", reason="left", effective_on=JAN_2).rolled_up

    with make_session_factory(committing_engine)() as enrolling, ThreadPoolExecutor(1) as pool:
        enroll(enrolling, ADMIN, NewMember("LATE", "Late", JAN_2), "A")
        termination = pool.submit(terminate_a)
        time.sleep(0.5)
        assert not termination.done()  # it waits for the enrollment's lock on A
        enrolling.commit()
        assert termination.result(timeout=20) == ["LATE"]
    with session_scope(committing_engine) as session:
        assert sponsors(session)["LATE"] == "ROOT"

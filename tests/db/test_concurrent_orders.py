"""Orders posted from parallel connections while a period is closed and finalized are
not lost: each counts in the period its date says, and once that period is finalized
its money lands as an adjustment in the next open period. PostgreSQL, real threads."""

from __future__ import annotations

import random
import threading
from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fairtree.ledger.lines import evaluation_lines
from fairtree.periods import Period
from fairtree.services.commissions.close import (
    close_period,
    evaluate_period,
    finalize_run,
    plan_for,
)
from fairtree.services.orders.rank_progress import NewLine, post_order, rebuild_period_volumes
from fairtree.store.models import Order
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import corrections
from fairtree.store.repositories.orders import running_volumes as volumes
from tests.factories import MAX_LEG_PLAN, add_plan, product, seed_company

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WORKERS = 4
ORDERS_EACH = 15
BUYERS = ("A", "B", "C", "D")


LATE = 3  # each worker's last orders wait until March is finalized
FINALIZED = threading.Event()


def poster(engine: Engine, worker: int, start: threading.Barrier, errors: list) -> None:
    chooser = random.Random(worker)
    start.wait()
    try:
        for n in range(ORDERS_EACH):
            if n == ORDERS_EACH - LATE:
                FINALIZED.wait(timeout=120)
            day = date(2026, 3, chooser.randint(1, 31)) if n % 3 else date(2026, 4, 2)
            with Session(engine) as session, session.begin():
                post_order(
                    session,
                    f"W{worker}-{n}",
                    chooser.choice(BUYERS),
                    day,
                    [NewLine("Q", chooser.randint(1, 3))],
                )
    except Exception as error:  # reported to the test thread
        errors.append(error)


def closer(engine: Engine, start: threading.Barrier, errors: list) -> None:
    start.wait()
    try:
        for _ in range(3):
            with Session(engine) as session, session.begin():
                close_period(session, "2026-03")
        with Session(engine) as session, session.begin():
            finalize_run(session, "2026-03")
    except Exception as error:
        errors.append(error)
    finally:
        FINALIZED.set()


def test_parallel_orders_during_a_close_are_not_lost(committing_engine: Engine) -> None:
    FINALIZED.clear()
    with Session(committing_engine) as session, session.begin():
        company = seed_company(session)
        add_plan(session, company.id, MAX_LEG_PLAN, "v2", date(2026, 1, 1))
        session.add(product("Q", retail_price=5000, member_price=4000, pv=3000, bv=2500))
        session.flush()
        rebuild_period_volumes(session, "2026-03")  # the seeded orders, as after an import
    start = threading.Barrier(WORKERS + 1)
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=poster, args=(committing_engine, w, start, errors))
        for w in range(WORKERS)
    ]
    threads.append(threading.Thread(target=closer, args=(committing_engine, start, errors)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    with Session(committing_engine) as session, session.begin():
        april = close_period(session, "2026-04")
        finalize_run(session, "2026-04")
    assert april.adjustments > 0  # late March orders were paid through April
    with Session(committing_engine) as session, session.begin():
        posted = session.scalar(
            select(func.count()).select_from(Order).where(Order.order_id.like("W%"))
        )
        assert posted == WORKERS * ORDERS_EACH
        company = company_repo.the_company(session)
        # March as paid (finalized lines + adjustments) equals March over every order now.
        march = Period.parse("2026-03")
        _, document = plan_for(session, company, march)
        facts, evaluation = evaluate_period(session, company, march, document)
        expected = evaluation_lines(evaluation, facts.member_db_ids)
        members, bonuses, amounts, _ = corrections.paid_for_period(session, company.id, "2026-03")
        assert list(zip(members.tolist(), bonuses.tolist(), amounts.tolist(), strict=True)) == list(
            zip(
                expected.member_db_id.tolist(),
                expected.bonus_id.tolist(),
                expected.amount.tolist(),
                strict=True,
            )
        )
        assert len(facts.inputs.orders.ids) == 4 + sum(
            1 for w in range(WORKERS) for n in range(ORDERS_EACH) if n % 3
        )
        # Running volumes kept by the parallel postings equal a recomputation.
        for key in ("2026-03", "2026-04"):
            live = volumes.period_rows(session, key), volumes.period_legs(session, key)
            rebuild_period_volumes(session, key)
            assert (volumes.period_rows(session, key), volumes.period_legs(session, key)) == live
            assert live[1]  # capped leg sums were kept

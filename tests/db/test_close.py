"""Period close on SQLite and PostgreSQL: draft, re-run, finalize, ledger, rank history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import cast

import numpy as np
import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, NotFoundError
from fairtree.ledger.accounts import Account, UnbalancedTransactionError
from fairtree.periods import Period
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.commissions.review import review_run
from fairtree.services.network.ranks import rank_history
from fairtree.store.models import CommissionRun, LedgerEntry, RankRecord
from fairtree.store.repositories.bulk import engine_arrays
from fairtree.store.repositories.commissions import ledger, runs
from tests.factories import PLAN_YAML, add_plan, member_db_id, post_order, seed_company


def lines_of(session: Session, run_id: int) -> list[tuple]:
    return [(r[2], r[3], r[4], r[5], r[6]) for r in runs.line_rows(session, run_id)]


def test_loader_reads_the_period_into_engine_arrays(session: Session) -> None:
    seed_company(session)
    post_order(session, "O-APR", "A", date(2026, 4, 2), "10", "10")
    facts = engine_arrays.load_period_facts(session, Period.parse("2026-03"))
    members = facts.inputs.members
    assert members.ids.tolist() == ["A", "B", "C", "D"]
    assert members.sponsor.tolist() == [-1, 0, 1, 2]
    orders = facts.inputs.orders
    assert list(orders.ids[:]) == ["O-A", "O-B", "O-C", "O-D"]  # April's order is not in March
    assert orders.buyer.tolist() == [0, 1, 2, 3]
    assert orders.bv.tolist() == [10000, 2000, 3335, 4000]
    assert orders.sales.tolist() == [800, 800, 800, 800]


def test_close_writes_a_draft_with_the_hand_worked_lines(session: Session) -> None:
    seed_company(session)
    result = close_period(session, "2026-03")
    assert lines_of(session, result.run_id) == [
        ("A", "uni", "commission", 734, "2026-03/A/uni"),
        ("C", "uni", "commission", 400, "2026-03/C/uni"),
    ]
    run = session.get_one(CommissionRun, result.run_id)
    assert (run.status, run.total_paid, run.total_bv, run.orders_count) == ("draft", 1134, 19335, 4)
    (total,) = runs.bonus_totals(session, result.run_id)
    assert (total.pool, total.paid, total.breakage) == (2900, 1134, 1766)


def test_rerunning_a_draft_replaces_it_with_identical_lines(session: Session) -> None:
    seed_company(session)
    first = close_period(session, "2026-03")
    first_lines = lines_of(session, first.run_id)
    second = close_period(session, "2026-03")
    assert second.replaced_draft
    assert lines_of(session, second.run_id) == first_lines
    assert second.digest == first.digest
    drafts = session.scalar(select(func.count()).select_from(CommissionRun))
    assert drafts == 1


def test_close_uses_the_plan_version_in_force(session: Session) -> None:
    company = seed_company(session)
    doubled = PLAN_YAML.replace('["10%", "5%"]', '["20%", "10%"]')
    add_plan(session, company.id, doubled, "v2", date(2026, 3, 1))
    result = close_period(session, "2026-03")
    amounts = [line[3] for line in lines_of(session, result.run_id)]
    assert amounts == [1467, 800]  # A: 2 x 7.335 = 14.67; C: 8.00


def test_close_without_a_plan_in_force_names_the_problem(session: Session) -> None:
    seed_company(session)
    with pytest.raises(NotFoundError, match="no plan version is in force on 2025-12-01"):
        close_period(session, "2025-12")


def test_finalize_posts_balanced_entries_and_balances_come_from_them(session: Session) -> None:
    seed_company(session)
    close_period(session, "2026-03")
    run_id = finalize_run(session, "2026-03")
    assert session.get_one(CommissionRun, run_id).status == "finalized"
    balances = ledger.balances(session)
    a, c = member_db_id(session, "A"), member_db_id(session, "C")
    assert balances == {
        ("commission_expense", None): 1134,
        ("member_payable", a): -734,
        ("member_payable", c): -400,
    }
    assert session.scalar(select(func.sum(LedgerEntry.amount))) == 0
    sources = session.scalars(select(LedgerEntry.source).where(LedgerEntry.member_id == a)).all()
    assert sources == ["2026-03/A/uni"]


def test_a_finalized_period_cannot_be_closed_or_finalized_again(session: Session) -> None:
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    with pytest.raises(ConflictError, match="2026-03 is finalized"):
        close_period(session, "2026-03")
    with pytest.raises(ConflictError, match="already finalized"):
        finalize_run(session, "2026-03")


def test_the_database_refuses_a_second_finalized_run(session: Session) -> None:
    seed_company(session)
    close_period(session, "2026-03")
    run_id = finalize_run(session, "2026-03")
    original = session.get_one(CommissionRun, run_id)
    copy = {c.name: getattr(original, c.name) for c in CommissionRun.__table__.columns}
    copy.pop("id")
    # A run starts as a draft (the guard trigger refuses inserting it finalized); making
    # the copy finalized then collides with the partial unique index.
    copy.update(status="draft", finalized_at=None)
    runs_table = cast(Table, CommissionRun.__table__)
    with (
        pytest.raises(IntegrityError, match=r"uq_commission_runs_finalized|UNIQUE"),
        session.begin_nested(),
    ):
        insert = runs_table.insert().values(**copy).returning(runs_table.c.id)
        inserted = session.scalars(insert).all()
        session.execute(
            runs_table.update()
            .where(runs_table.c.id == inserted[0])
            .values(status="finalized", finalized_at=original.finalized_at)
        )


def test_an_unbalanced_transaction_is_refused(session: Session) -> None:
    company = seed_company(session)
    tx = ledger.open_transaction(session, company.id, "manual", "k1", "test")
    ledger.insert_entries(
        session,
        [
            ledger.entry(tx, Account.COMMISSION_EXPENSE, None, 100, "USD", "test"),
            ledger.entry(tx, Account.MEMBER_PAYABLE, member_db_id(session, "A"), -99, "USD", "t"),
        ],
    )
    with pytest.raises(UnbalancedTransactionError, match="differ by 1"):
        ledger.check_transaction(session, tx, "k1")


def test_rank_history_is_stored_and_queryable(session: Session) -> None:
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    post_order(session, "O-A4", "A", date(2026, 4, 3), "60", "60")
    close_period(session, "2026-04")
    finalize_run(session, "2026-04")
    assert session.scalar(select(func.count()).select_from(RankRecord)) == 8
    history = rank_history(session, "A")
    assert [(h.period_key, h.paid_as, h.highest) for h in history] == [
        ("2026-03", "silver", "silver"),
        ("2026-04", "bronze", "silver"),
    ]
    assert [(h.period_key, h.paid_as, h.highest) for h in rank_history(session, "B")] == [
        ("2026-03", None, None),
        ("2026-04", None, None),
    ]
    assert [h.pv for h in history] == [10000, 6000]


def test_review_shows_totals_share_and_changes(session: Session) -> None:
    seed_company(session)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    for name in ("A", "B", "C", "D"):
        post_order(session, f"O-{name}4", name, date(2026, 4, 3), "100", "100")
    close_period(session, "2026-04")
    review = review_run(session, "2026-04", member_factor=2)
    assert review.compared_with == "2026-03"
    assert review.total_bv == 40000
    # All active now. B's 100 BV: A 10.00. C's: B 10.00, A 5.00. D's: C 10.00, B 5.00.
    assert [(c.member_id, c.previous, c.current) for c in review.largest_changes] == [
        ("B", 0, 1500),
        ("A", 734, 1500),
        ("C", 400, 1000),
    ]
    assert review.payout_share_of_bv == Decimal("0.1")
    (bonus,) = review.bonuses
    assert (bonus.pool, bonus.paid, bonus.breakage) == (6000, 4000, 2000)
    # A is paid 2.04 x and C 2.5 x their usual; B has no history; uni went 5.86% -> 10%.
    assert [a.split(" is paid")[0] for a in review.anomalies[:2]] == ["member A", "member C"]
    assert review.anomalies[2].startswith("bonus uni pays 10.00% of BV")
    assert len(review.anomalies) == 3
    assert review_run(session, "2026-04", member_factor=3).anomalies == review.anomalies[2:]


def test_empty_period_writes_an_empty_draft(session: Session) -> None:
    seed_company(session, orders=False)
    result = close_period(session, "2026-03")
    assert (result.lines, result.total_paid) == (0, 0)
    assert session.scalar(select(func.count()).select_from(RankRecord)) == 4


def test_carry_values_of_the_last_finalized_run_come_back_as_carry_in(session: Session) -> None:
    from fairtree.services.commissions.close import carry_in_for

    company = seed_company(session)
    draft = close_period(session, "2026-03")
    ids = np.array([member_db_id(session, n) for n in "ABCD"], dtype=np.int64)
    runs.insert_carry_values(  # into the draft: a finalized run takes no more rows
        session,
        draft.run_id,
        ids,
        {"binary.left": np.array([0, 250, 0, 75]), "binary.right": np.zeros(4, dtype=np.int64)},
    )
    finalize_run(session, "2026-03")
    carry = carry_in_for(session, company, Period.parse("2026-04"), ids)
    assert carry.highest_rank.tolist() == [2, 0, 1, 1]  # silver, none, bronze, bronze
    assert {k: v.tolist() for k, v in carry.values.items()} == {"binary.left": [0, 250, 0, 75]}
    assert carry_in_for(session, company, Period.parse("2026-03"), ids).values == {}


def test_loader_reads_an_imported_dataset_with_parties_and_returns(
    session: Session, make_dataset
) -> None:
    from fairtree.services.datasets import import_dataset

    import_dataset(session, make_dataset())
    february = engine_arrays.load_period_facts(session, Period.parse("2026-02"))
    members = february.inputs.members
    assert members.ids.tolist() == ["M1", "M2", "M3", "M4", "M6"]
    assert members.sponsor.tolist() == [-1, 0, 0, 4, 1]
    assert members.placement_position is not None
    assert members.placement_position.tolist() == [-1, 0, 1, 0, 1]
    orders = february.inputs.orders
    # O2 is a party order of customer C1 (owned by M2); R1 returns a January order.
    assert list(orders.ids[:]) == ["O2", "O3"]
    assert orders.buyer.tolist() == [1, 2]
    assert orders.from_customer.tolist() == [True, False]
    assert orders.party.tolist() == [0, -1]
    assert orders.retail_margin.tolist() == [1000, 0]
    assert february.inputs.parties is not None
    assert february.inputs.parties.consultant.tolist() == [1]
    january = engine_arrays.load_period_facts(session, Period.parse("2026-01")).inputs.orders
    assert list(january.ids[:]) == ["O1", "R1"]
    assert january.pv.tolist() == [5000, -2500]
    assert january.placed_on.astype(str).tolist() == ["2026-01-06", "2026-01-06"]

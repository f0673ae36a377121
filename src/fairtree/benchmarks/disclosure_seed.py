"""A large company with twelve finalized months, for the disclosure benchmarks.

Members come from the ledger benchmark seed (synthetic network, joined over twelve
months from March 2025). Each month about 60% of the members who have joined buy one
order, 10% of members have a retail customer who buys now and then, and twelve runs are
written set-based with payout lines (about a quarter of members paid, skewed) and rank
rows for every member, then finalized. The amounts are drawn, not evaluated by the
engine: the benchmark times the disclosure's reads and figures, not a close.
"""

from __future__ import annotations

import hashlib
from datetime import date

import numpy as np
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from fairtree.benchmarks.ledger_seed import seed as seed_members
from fairtree.dataset.arrays import Rows
from fairtree.store.models import CommissionRun, Company, Member, PlanVersion
from fairtree.store.repositories.bulk.load import (
    advance_id_sequences,
    defer_sqlite_foreign_keys,
    insert_rows,
    sqlite_large_cache,
)

FIRST_MONTH = date(2025, 3, 1)
MONTHS = 12
STATEMENT_RANGE = (date(2025, 3, 1), date(2026, 3, 1))
COMPLIANCE_PERIOD = "2026-02"


def _month(index: int) -> date:
    total = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def is_seeded(engine: Engine) -> bool:
    with Session(engine) as session:
        return bool(session.scalar(select(func.count()).select_from(CommissionRun)))


def seed(engine: Engine, members: int, seed_value: int = 2026) -> dict[str, int]:
    """Members, twelve months of orders and twelve finalized runs; returns row counts."""
    seed_members(engine, members, 0, seed_value)
    rng = np.random.default_rng(seed_value + 1)
    with Session(engine) as session:
        joined = np.array(
            session.execute(select(Member.joined_on).order_by(Member.id)).scalars().all(),
            dtype="datetime64[D]",
        )
        company_id = int(session.scalar(select(Company.id)) or 0)
        plan_id = int(session.scalar(select(PlanVersion.id)) or 0)
    ids = np.arange(1, members + 1, dtype=np.int64)
    customer_owner = ids[rng.random(members) < 0.10]
    counts = {"orders": 0, "lines": 0, "ranks": 0}
    order_columns: list[dict[str, np.ndarray]] = []
    runs, lines, ranks = [], [], []
    next_order, next_line = 1, 1
    for index in range(MONTHS):
        start, end = _month(index), _month(index + 1)
        start64, end64 = np.datetime64(start, "D"), np.datetime64(end, "D")
        present = ids[joined < end64]
        buyers = present[rng.random(present.size) < 0.6]
        sellers = customer_owner[
            (joined[customer_owner - 1] < end64) & (rng.random(customer_owner.size) < 0.5)
        ]
        days = int((end64 - start64).astype(int))
        for buyer, from_customer in ((buyers, False), (sellers, True)):
            size = buyer.size
            placed = (start64 + rng.integers(0, days, size)).astype(str).astype(object)
            units = rng.integers(1, 4, size)
            order_ids = np.arange(next_order, next_order + size, dtype=np.int64)
            next_order += size
            order_columns.append(
                {
                    "id": order_ids,
                    "order_id": np.char.add("B", order_ids.astype(str)).astype(object),
                    "kind": np.full(size, "order", dtype=object),
                    "placed_on": placed,
                    "buyer_member_id": np.full(size, None, dtype=object)
                    if from_customer
                    else buyer,
                    "buyer_customer_id": np.searchsorted(customer_owner, buyer) + 1
                    if from_customer
                    else np.full(size, None, dtype=object),
                    "country": np.full(size, "US", dtype=object),
                    "currency": np.full(size, "USD", dtype=object),
                    "credited_member_id": buyer,
                    "counts_on": placed,
                    "total_pv": units * 2500,
                    "total_bv": units * 2000,
                    "total_sales": units * (5000 if from_customer else 4000),
                    "total_other_sales": np.zeros(size, dtype=np.int64),
                    "total_retail_margin": units * 1000
                    if from_customer
                    else np.zeros(size, np.int64),
                }
            )
        run_id = index + 1
        paid = present[rng.random(present.size) < 0.25]
        amount = np.maximum(1, rng.lognormal(6.5, 1.6, paid.size)).astype(np.int64)
        line_ids = np.arange(next_line, next_line + paid.size, dtype=np.int64)
        next_line += paid.size
        runs.append(
            CommissionRun(
                id=run_id,
                company_id=company_id,
                period_key=start.strftime("%Y-%m"),
                starts_on=start,
                ends_on=end,
                status="draft",
                plan_version_id=plan_id,
                plan_sha256="0" * 64,
                currency="USD",
                members_count=int(present.size),
                orders_count=0,
                orders_id_sum=0,
                orders_through_id=0,
                total_bv=0,
                total_paid=int(amount.sum()),
                total_adjustments=0,
                lines_digest="0" * 64,
            )
        )
        lines.append(
            {
                "id": line_ids,
                "run_id": np.full(paid.size, run_id, dtype=np.int64),
                "member_id": paid,
                "bonus_id": np.full(paid.size, "unilevel", dtype=object),
                "kind": np.full(paid.size, "commission", dtype=object),
                "amount": amount,
                "explanation_ref": np.full(paid.size, "bench", dtype=object),
            }
        )
        pv = np.where(rng.random(present.size) < 0.6, 2500 * rng.integers(1, 4, present.size), 0)
        rank = np.minimum(rng.geometric(0.6, present.size) - 1, 4)
        ranks.append(
            {
                "run_id": np.full(present.size, run_id, dtype=np.int64),
                "member_id": present,
                "period_key": np.full(present.size, start.strftime("%Y-%m"), dtype=object),
                "paid_as_rank": rank,
                "highest_rank": rank,
                "pv": pv.astype(np.int64),
                "group_volume": pv.astype(np.int64),
            }
        )
    customers = customer_owner.size
    with Session(engine) as session, session.begin():
        session.execute(
            text("UPDATE plan_versions SET sha256 = :sha"),
            {"sha": hashlib.sha256(b"bench").hexdigest()},
        )
        session.add_all(runs)
        session.flush()
        tables = [
            Rows(
                "customers",
                {
                    "id": np.arange(1, customers + 1, dtype=np.int64),
                    "customer_id": np.char.add("C", np.arange(1, customers + 1).astype(str)).astype(
                        object
                    ),
                    "member_id": customer_owner,
                    "name": np.full(customers, "customer", dtype=object),
                    "country": np.full(customers, "US", dtype=object),
                    "created_on": np.full(customers, FIRST_MONTH.isoformat(), dtype=object),
                },
            ),
            *[Rows("orders", columns) for columns in order_columns],
            *[Rows("payout_lines", columns) for columns in lines],
            *[Rows("rank_history", columns) for columns in ranks],
        ]
        if engine.dialect.name == "sqlite":
            defer_sqlite_foreign_keys(session)
            with sqlite_large_cache(session):
                for table in tables:
                    insert_rows(session, table)
        else:
            for table in tables:
                insert_rows(session, table)
        advance_id_sequences(session, ["customers", "orders", "payout_lines", "commission_runs"])
        session.execute(
            text(
                "UPDATE commission_runs SET status = 'finalized', finalized_at = CURRENT_TIMESTAMP"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
        )
    counts["orders"] = next_order - 1
    counts["lines"] = next_line - 1
    counts["ranks"] = int(sum(r["run_id"].size for r in ranks))
    return counts

"""A statement built from arrays alone (no database), for the format and fault tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np

from fairtree.disclosure.cohorts import Persistence, Retention, TopGroup
from fairtree.disclosure.definitions import definitions
from fairtree.disclosure.statement import (
    Participants,
    RunUsed,
    Statement,
    StatementFrame,
    compute_statement,
)
from fairtree.money import format_amount

# Ten participants: six paid nothing (two of them buyer-only), one top earner.
GROSS = [0, 0, 0, 0, 0, 0, 1_500, 12_000, 90_000, 2_500_000]
PURCHASES = [4_000, 0, 12_000, 6_000, 2_000, 0, 10_000, 9_000, 30_000, 50_000]


def sample_statement(
    gross: list[int] | None = None, purchases: list[int] | None = None
) -> Statement:
    gross_pay = np.array(gross or GROSS, dtype=np.int64)
    bought = np.array(purchases or PURCHASES, dtype=np.int64)
    size = gross_pay.size
    people = Participants(
        member_db_ids=np.arange(1, size + 1, dtype=np.int64),
        gross_pay=gross_pay,
        purchases=bought,
        months_active=np.full(size, 3, dtype=np.int64),
        highest_rank=np.minimum(np.arange(size) // 4, 2).astype(np.int64),
        buyer_only=(gross_pay == 0) & (np.arange(size) % 3 == 0),
    )
    frame = StatementFrame(
        company="Sample Co",
        currency="USD",
        exponent=2,
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 1, 1),
        months=[f"2026-{m:02d}" for m in range(1, 13)],
        months_not_finalized=[],
        rank_names=["bronze", "silver"],
        bracket_edges=[Decimal(x) for x in ("100", "1000", "10000")],
        runs=[RunUsed(7, "2026-01", "ab" * 32, {"CAD": "1.3712"})],
        definitions=definitions("USD", 5000, 12),
    )
    retention = [Retention(2025, 12, 4, 3, Decimal("0.7500"), 1, Decimal("0.2500"))]
    persistence = Persistence(
        "2025-01-01",
        "2026-01-01",
        [TopGroup(1, 1, 1, Decimal("1.0000")), TopGroup(10, 1, 1, Decimal("1.0000"))],
    )
    return compute_statement(
        frame, people, retention, persistence, lambda m: format_amount(int(m), "USD")
    )

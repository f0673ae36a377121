"""Pure rules of the member-data services: policy clauses, calendar months for
retention horizons, cohort-correct retention, goal targets."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from fairtree.errors import ValidationError
from fairtree.services.care.care_metrics import add_months, retention
from fairtree.services.member_data.goals import parse_target
from fairtree.services.member_data.policies import parse_clauses

TEXT = """\
# Policies

Preamble is not a clause.

## Selling
### 1.1 Receipts {obligation}
Give every customer a receipt.

More text of 1.1.

### 1.2 Samples {suggestion}
Offer a sample.
"""


def test_clauses_are_split_by_their_mark_and_keep_their_text() -> None:
    clauses = parse_clauses(TEXT)
    assert [(c.number, c.kind, c.title) for c in clauses] == [
        (1, "obligation", "1.1 Receipts"),
        (2, "suggestion", "1.2 Samples"),
    ]
    assert clauses[0].text == "Give every customer a receipt.\n\nMore text of 1.1."


def test_a_wrong_mark_names_its_line_and_nothing_is_accepted() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_clauses("## A {obligation}\nx\n## B {must}\ny\n## {suggestion}\n")
    assert [(p.location, p.reason) for p in caught.value.problems] == [
        ("line 3", "mark {must} is neither {obligation} nor {suggestion}"),
        ("line 5", "heading has no title"),
    ]


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    days = np.array(["2026-01-31", "2026-08-31", "2024-02-29", "2026-03-15"], dtype="datetime64[D]")
    assert add_months(days, 1).astype(str).tolist() == [
        "2026-02-28", "2026-09-30", "2024-03-29", "2026-04-15",
    ]  # fmt: skip
    assert add_months(days, 12).astype(str).tolist()[2] == "2025-02-28"


def test_retention_counts_only_members_old_enough() -> None:
    sponsored = {
        "joined_on": np.array(["2026-01-10", "2026-01-20", "2026-05-01"], dtype="datetime64[D]"),
        "active": np.array([True, False, True]),
        "status_since": np.array(["2026-01-10", "2026-03-01", "2026-05-01"], dtype="datetime64[D]"),
    }
    # As of 2026-05-10: the first two joined 3+ months ago; the second left after 40 days.
    three = retention(sponsored, date(2026, 5, 10), 3)
    assert (three.eligible, three.still_active, three.share) == (2, 1, "50.0")
    # One month in, the one who left on 2026-03-01 was still active; the newest
    # (joined 2026-05-01) is not a month old yet and is not counted at all.
    one = retention(sponsored, date(2026, 5, 10), 1)
    assert (one.eligible, one.still_active, one.share) == (2, 2, "100.0")
    assert retention(sponsored, date(2026, 5, 10), 6).share is None


def test_goal_targets_use_each_metrics_unit() -> None:
    assert parse_target("personal_volume", "49.5", "USD") == 4950
    assert parse_target("retail_sales", "250", "JPY") == 250
    assert parse_target("retail_sales", "12.34", "USD") == 1234
    assert parse_target("retail_customers", "10", "USD") == 10
    with pytest.raises(ValueError, match="whole number"):
        parse_target("retail_customers", "2.5", "USD")

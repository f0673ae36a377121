"""Path, query and header parameters shared by routers, with their bounds."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Header, Path, Query
from pydantic import Field, StrictInt

from fairtree.periods import FIRST_DATE, LAST_DATE

ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"  # the dataset's id rule
# Text that is stored: one line, no control characters (PostgreSQL refuses NUL outright).
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
# Multi-line text that is stored (plan YAML): anything but NUL.
NO_NUL = r"^[^\x00]*$"

MemberId = Annotated[str, Path(pattern=ID_PATTERN, description="the member's id")]
RecordId = Annotated[str, Path(pattern=ID_PATTERN)]
PeriodKey = Annotated[
    str,
    Path(
        pattern=r"^(\d{4}-(0[1-9]|1[0-2])|\d{4}-W(0[1-9]|[1-4]\d|5[0-3])"
        r"|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$",
        description="a period: 2026-03 (month), 2026-W09 (week) or 2026-03-01..2026-03-15",
    ),
]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="repeat a creating request safely: the same key returns the first answer",
    ),
]
# A database row id: fits a 32-bit INTEGER column on every backend.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]

# Dates a request may carry: the range fairtree supports (``fairtree.periods``).
InputDate = Annotated[
    date, Field(ge=FIRST_DATE, le=LAST_DATE, description="a date from 1900-01-01 to 2999-12-31")
]
# Quantities, counts and volumes in a request: JSON integers only (no true, no "1", no
# 1.0), within what a 64-bit column holds.
Count = Annotated[StrictInt, Field(ge=0, le=2**63 - 1)]

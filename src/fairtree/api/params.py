"""Path, query and header parameters shared by routers, with their bounds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path, Query

ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"  # the dataset's id rule

MemberId = Annotated[str, Path(pattern=ID_PATTERN, description="the member's id")]
RecordId = Annotated[str, Path(pattern=ID_PATTERN)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="repeat a creating request safely: the same key returns the first answer",
    ),
]

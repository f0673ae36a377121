"""One place that says what time it is, so services agree and tests can pin it."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; treat them as the UTC they were stored in."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

"""Foreign keys that PostgreSQL checks once per statement instead of once per row.

The models declare every reference as a foreign key (SQLite enforces them as such).
On PostgreSQL, the references a close and a finalize write in bulk are enforced by
statement triggers over the transition tables (migration 0015): the same rules, one
anti-join per statement instead of one lookup and row lock per written row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKeyConstraint

# (table, column) of each reference checked per statement on PostgreSQL
CHECKED_PER_STATEMENT = frozenset(
    {
        ("rank_history", "run_id"),
        ("rank_history", "member_id"),
        ("payout_lines", "run_id"),
        ("payout_lines", "member_id"),
        ("ledger_entries", "member_id"),
        ("ledger_entries", "payout_line_id"),
        ("ledger_entries", "transaction_id"),
    }
)


def checked_per_statement(constraint: ForeignKeyConstraint) -> bool:
    """True for a model foreign key PostgreSQL enforces with statement triggers."""
    columns = list(constraint.column_keys)
    table = constraint.table.name if constraint.table is not None else ""
    return len(columns) == 1 and (table, columns[0]) in CHECKED_PER_STATEMENT


def schema_objects_for(dialect: str) -> Any:
    """An Alembic ``include_object`` hook: on PostgreSQL, leave out of the comparison of
    the models with the database the foreign keys enforced by statement triggers."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if dialect != "postgresql" or not isinstance(obj, ForeignKeyConstraint):
            return True
        return not checked_per_statement(obj)

    return include

"""The schema has no place to assign work to a member (docs/principles.md)."""

from __future__ import annotations

import re

from fairtree.store.models import Base, Goal

FORBIDDEN = re.compile(r"quota|task|script|assign", re.IGNORECASE)


def test_no_table_or_column_assigns_work_to_a_member() -> None:
    names = [table.name for table in Base.metadata.sorted_tables]
    names += [f"{c.table.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns]
    assert len(names) > 100  # every table and column was looked at
    assert [name for name in names if FORBIDDEN.search(name)] == []


def test_a_goal_names_exactly_one_member_its_owner() -> None:
    member_columns = [
        column.name
        for column in Goal.__table__.columns
        if any(fk.column.table.name == "members" for fk in column.foreign_keys)
    ]
    assert member_columns == ["owner_member_id"]

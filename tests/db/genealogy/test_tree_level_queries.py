"""One tree level costs a constant number of queries, whatever its size: the child
counts of a level's members come from one grouped count, not from a count per node;
every sort (team size too) and the tree as of a past date give the counts of the tree
counted by hand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.services.access import users
from fairtree.services.access.principal import Principal
from fairtree.services.network import tree_view
from fairtree.store.models import Member
from tests.factories import add_company, add_member

MARCH = Period.parse("2026-03")


def _team(session: Session, prefix: str, size: int) -> Member:
    """A root with ``size`` frontline members; the i-th has i % 4 recruits of its own."""
    root = add_member(session, f"{prefix}ROOT")
    for i in range(size):
        front = add_member(session, f"{prefix}F{i:03d}", root.id, display_name=f"F {i:03d}")
        for j in range(i % 4):
            add_member(session, f"{prefix}F{i:03d}-{j}", front.id)
    return root


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    bind = session.get_bind()

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(bind, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(bind, "before_cursor_execute", count)


def _level(session: Session, root: Member, sort: str, on: date | None = None):  # type: ignore[no-untyped-def]
    user = users.create_member_user(session, root.member_id, "a long enough password")
    reader = Principal(user.id, "r", "member", root.id, root.member_id, "session", 0)
    return tree_view.tree_level(
        session, reader, root, None, "sponsor", MARCH, on, sort, sort == "team", 200, 0
    )


@pytest.mark.parametrize("on", [None, date(2026, 2, 1)])
def test_a_level_of_60_costs_the_queries_of_a_level_of_6(session: Session, on) -> None:  # type: ignore[no-untyped-def]
    add_company(session)
    small, large = _team(session, "S", 6), _team(session, "L", 60)
    session.flush()
    queries = []
    for root in (small, large):
        with _statements(session) as seen:
            level = _level(session, root, "name", on)
        queries.append(len([s for s in seen if "access_log" not in s and "users" not in s]))
        # No count per node: the page's statement holds no correlated count; counts come
        # grouped (one row per parent) or count the level itself.
        page = [s for s in seen if "LIMIT" in s.upper()]
        assert page and all("count(" not in s.lower() or "GROUP BY" in s.upper() for s in page)
        assert [n.children for n in level.nodes] == [i % 4 for i in range(len(level.nodes))]
        assert level.parent.children == level.total == len(level.nodes)
    assert queries[0] == queries[1]


def test_sorting_by_team_size_counts_each_members_recruits(session: Session) -> None:
    add_company(session)
    root = _team(session, "T", 9)
    level = _level(session, root, "team")
    assert [(n.member_id, n.children) for n in level.nodes][:3] == [
        ("TF003", 3),
        ("TF007", 3),
        ("TF002", 2),
    ]
    assert sorted(n.children for n in level.nodes) == sorted(i % 4 for i in range(9))

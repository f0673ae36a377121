"""Search in a member's current sponsor downline by id or part of the display name,
without reading the whole downline.

The answer is the first ``limit`` matches by (depth, display name, pk). Two ways get it,
and ``search`` picks by how many members match company-wide:

- ``by_candidates``: a text at most ``CANDIDATE_CAP`` members match (an id, a rare name)
  is found through the indexes on ``lower(member_id)`` and ``lower(display_name)``
  (PostgreSQL), then each match's upline is read by key until it meets the searcher (the
  match is in the downline, that many levels down) or the top. Cost: matches x their
  depth, at most ``CANDIDATE_CAP`` x ``CLIMB`` rows.
- ``by_levels``: a common text is looked for down the downline level by level, and the
  walk stops at the level where the ``limit``-th match stands (a recursive query is read
  only as far as its reader asks, and it yields the levels in order). Cost: the levels
  down to that one; at most the whole downline, twice, for a text common elsewhere but
  rare below the searcher.

A match is an answer only when the walk from it up meets the searcher, or the walk down
from the searcher meets it: a member outside the downline is never one.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, literal, or_, select
from sqlalchemy.orm import Session

from fairtree.store.models import Member
from fairtree.store.repositories.network.sponsor_tree import MAX_DEPTH, subtree_cte, upline_cte

# More members matching company-wide than this: ``by_levels`` (the common text is likely
# found in the first levels) instead of reading that many uplines.
CANDIDATE_CAP = 1_000
# Steps up from a match before ``by_candidates`` gives up on it (a downline deeper than
# this is searched ``by_levels``): at most CANDIDATE_CAP x CLIMB rows read by key.
CLIMB = 64
# The trigram index narrows a search only by a run of three letters or digits (``%``, a
# space or ``_`` split words): a text without one would read all the index.
TRIGRAM = re.compile(r"[^\W_]{3}")


def matches(text: str) -> ColumnElement[bool]:
    """Member id equal to ``text`` or display name containing it, case-insensitive; ``%``,
    ``_`` and ``\\`` in the text are plain characters."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(
        func.lower(Member.member_id) == text.lower(),
        func.lower(Member.display_name).like(f"%{escaped}%", escape="\\"),
    )


def search(session: Session, root_pk: int, text: str, limit: int) -> list[Any]:
    """(member_pk, member_id, display_name, depth) of the first ``limit`` matches below
    ``root_pk`` by depth, display name and pk."""
    if limit < 1:  # what the plain walk answers (nothing, or everything on SQLite)
        return everything(session, root_pk, text, limit)
    if session.get_bind().dialect.name == "postgresql" and TRIGRAM.search(text):
        found = candidates(session, text, CANDIDATE_CAP)
        if len(found) <= CANDIDATE_CAP:
            return by_candidates(session, root_pk, found, text, limit)
    return by_levels(session, root_pk, text, limit)


def candidates(session: Session, text: str, cap: int) -> list[int]:
    """Pks of the members matching ``text`` company-wide: all of them, or ``cap`` + 1."""
    return list(session.scalars(select(Member.id).where(matches(text)).limit(cap + 1)))


def by_candidates(
    session: Session, root_pk: int, matched: list[int], text: str, limit: int
) -> list[Any]:
    """The upline of each of ``matched`` (every member matching ``text``) read step by
    step (by key) until ``root_pk`` (the match is below it, at that many steps), the top
    (it is not) or ``CLIMB`` steps; a match still climbing leaves it to ``by_levels``."""
    up = upline_cte(matched, root_pk, CLIMB)
    inside = up.c.node == root_pk
    climbing = and_(up.c.steps == CLIMB, up.c.node.is_not(None))
    query = (
        select(Member.id, Member.member_id, Member.display_name, up.c.steps, inside)
        .join(up, up.c.origin == Member.id)
        .where(or_(inside, climbing))
        .order_by(inside, up.c.steps, Member.display_name, Member.id)  # a climber first
        .limit(limit)
    )
    rows = list(session.execute(query))
    if rows and not rows[0][4]:
        return by_levels(session, root_pk, text, limit)
    return [row[:4] for row in rows]


def by_levels(session: Session, root_pk: int, text: str, limit: int) -> list[Any]:
    """The first ``limit`` matches met walking down (levels in order) give the depth the
    answer ends at; fewer than ``limit`` are all there is. Then the walk to that depth."""
    down = _marked_walk(root_pk, text, MAX_DEPTH)
    first = (
        select(down.c.node, down.c.depth)
        .where(down.c.hit, down.c.depth > 0)
        .limit(limit)
        .cte("first")
        .prefix_with("MATERIALIZED")  # read lazily: the walk stops at the limit-th match
    )
    found = list(
        session.execute(
            select(Member.id, Member.member_id, Member.display_name, first.c.depth)
            .join(first, first.c.node == Member.id)
            .order_by(first.c.depth, Member.display_name, Member.id)
        )
    )
    if len(found) < limit:
        return found
    deepest = max(int(row[3]) for row in found)
    bounded = _marked_walk(root_pk, text, deepest)
    query = (
        select(Member.id, Member.member_id, Member.display_name, bounded.c.depth)
        .join(bounded, bounded.c.node == Member.id)
        .where(bounded.c.hit, bounded.c.depth > 0)
        .order_by(bounded.c.depth, Member.display_name, Member.id)
        .limit(limit)
    )
    return list(session.execute(query))


def everything(session: Session, root_pk: int, text: str, limit: int) -> list[Any]:
    """The whole downline walked, then matched: the plain answer the others must equal."""
    return _ranked(session, subtree_cte(root_pk), text, limit)


def _marked_walk(root_pk: int, text: str, deepest: int):  # type: ignore[no-untyped-def]
    """Downline of ``root_pk`` to ``deepest`` levels, level after level, each member
    marked ``hit`` when it matches ``text``."""
    down = (
        select(Member.id.label("node"), literal(0).label("depth"), false().label("hit"))
        .where(Member.id == root_pk)
        .cte("down", recursive=True)
    )
    step = select(Member.id, down.c.depth + 1, matches(text)).join(
        down, Member.sponsor_id == down.c.node
    )
    return down.union_all(step.where(down.c.depth < deepest))


def _ranked(session: Session, down: Any, text: str, limit: int) -> list[Any]:
    query: Select[Any] = (
        select(Member.id, Member.member_id, Member.display_name, down.c.depth)
        .join(down, down.c.node == Member.id)
        .where(down.c.depth > 0, matches(text))
        .order_by(down.c.depth, Member.display_name, Member.id)
        .limit(limit)
    )
    return list(session.execute(query))

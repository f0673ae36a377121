"""Queries over the current sponsor tree: upline paths and subtrees (period volumes are
``volumes``: the close's rule)."""

from __future__ import annotations

import numpy as np
from sqlalchemy import BigInteger, Text, cast, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from fairtree.store.models import Member
from fairtree.store.repositories.int_arrays import int_array_text

# A bound on recursion, so a damaged tree (a loop) cannot make a query run forever.
MAX_DEPTH = 100_000


def upline_depth(session: Session, ancestor_pk: int, member_pk: int) -> int | None:
    """How many sponsor steps from ``member_pk`` up to ``ancestor_pk`` (None: not above it)."""
    up = (
        select(Member.sponsor_id.label("node"), literal(1).label("steps"))
        .where(Member.id == member_pk)
        .cte("up", recursive=True)
    )
    parent = select(Member.sponsor_id, up.c.steps + 1).join(up, Member.id == up.c.node)
    up = up.union_all(parent.where(up.c.steps < MAX_DEPTH))
    return session.scalar(select(func.min(up.c.steps)).where(up.c.node == ancestor_pk))


FEW_BELOW = 1_000  # walked up one by one; more are matched against the downline read once


def below(session: Session, ancestor_pk: int, member_pks: list[int]) -> set[int]:
    """Which of ``member_pks`` are in the current sponsor downline of ``ancestor_pk``: one
    recursive query walking up from each of them (rows: members x depth)."""
    if not member_pks:
        return set()
    if len(member_pks) > FEW_BELOW:  # many: read the downline once instead
        down = subtree_cte(ancestor_pk)
        if session.get_bind().dialect.name == "postgresql":  # matched server side
            pks = cast(literal(int_array_text(member_pks), Text), ARRAY(BigInteger))
            named = func.unnest(pks).table_valued("pk").render_derived()
            matched = select(down.c.node).join(named, named.c.pk == down.c.node)
            return {int(pk) for pk in session.scalars(matched.where(down.c.depth > 0))}
        inside = {int(pk) for pk in session.scalars(select(down.c.node).where(down.c.depth > 0))}
        return inside.intersection(int(pk) for pk in member_pks)
    up = upline_cte(member_pks, ancestor_pk, MAX_DEPTH)
    rows = session.scalars(select(up.c.origin).where(up.c.node == ancestor_pk).distinct())
    return {int(pk) for pk in rows}


def upline_cte(member_pks: list[int], stop_at: int, steps: int):  # type: ignore[no-untyped-def]
    """(origin, node, steps): the sponsor line above each of ``member_pks``, read one step
    at a time by key, up to ``stop_at``, the top or ``steps`` steps."""
    up = (
        select(
            Member.id.label("origin"), Member.sponsor_id.label("node"), literal(1).label("steps")
        )
        .where(Member.id.in_(member_pks))
        .cte("up", recursive=True)
    )
    parent = select(up.c.origin, Member.sponsor_id, up.c.steps + 1).join(up, Member.id == up.c.node)
    return up.union_all(parent.where(up.c.node != stop_at, up.c.steps < steps))


def subtree_cte(root_pk: int):  # type: ignore[no-untyped-def]
    """(node, sponsor, depth) of ``root_pk`` (depth 0) and everyone below it."""
    down = (
        select(
            Member.id.label("node"), Member.sponsor_id.label("sponsor"), literal(0).label("depth")
        )
        .where(Member.id == root_pk)
        .cte("down", recursive=True)
    )
    child = select(Member.id, Member.sponsor_id, down.c.depth + 1).join(
        down, Member.sponsor_id == down.c.node
    )
    return down.union_all(child.where(down.c.depth < MAX_DEPTH))


def subtree(session: Session, root_pk: int) -> tuple[np.ndarray, np.ndarray]:
    """(member pks, sponsor pks) of ``root_pk`` and everyone below it, in one query."""
    down = subtree_cte(root_pk)
    rows = session.execute(select(down.c.node, down.c.sponsor)).all()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    sponsors = np.fromiter(
        (r[1] if r[1] is not None else -1 for r in rows), dtype=np.int64, count=len(rows)
    )
    return ids, sponsors


def members_by_pks(session: Session, member_pks: list[int]) -> dict[int, Member]:
    if not member_pks:
        return {}
    return {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(member_pks)))}


__all__ = [
    "members_by_pks",
    "subtree",
    "upline_depth",
]

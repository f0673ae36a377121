"""Downline search answers what walking the whole downline and then matching answers:
the same members, depths and order, for every way it can take (through the matches'
uplines, level by level, or its own pick), on a random tree with a deep chain; and a
member outside the searcher's downline is never an answer, whatever the text."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from fairtree.store.models import Member
from fairtree.store.repositories.network import downline_search
from fairtree.store.repositories.network.tree_levels import search_downline
from tests.factories import JAN_1, add_company

NAMES = ("Ann", "anna Lee", "Bo", "Cy_d", "50% Off", "Ed\\Lo", "Flo", "ANNABEL", "Gus")
CHAIN = 1_500  # a chain of members, each sponsoring the next, below one random member
TEXTS = ("a", "ANN", "ann", "nna lee", "%", "_", "50%", "y_d", "\\", "o", "zzz", "chain")


def _by_candidates(session: Session, root_pk: int, text: str, limit: int) -> list[Any]:
    """``by_candidates`` with every match, however many (``search`` caps them)."""
    matched = downline_search.candidates(session, text, 1_000_000)
    return downline_search.by_candidates(session, root_pk, matched, text, limit)


WAYS = (downline_search.search, downline_search.by_levels, _by_candidates, search_downline)


def _tree(session: Session, size: int, seed: int) -> tuple[list[int], np.ndarray, list[str]]:
    """Member pks (index order), 0-based sponsor indices (-1: the top) and display names
    of a random tree of ``size`` members, then ``CHAIN`` members hanging in one chain."""
    rng = np.random.default_rng(seed)
    sponsor = np.full(size + CHAIN, -1, dtype=np.int64)
    for i in range(1, size):  # some recruit widely, some deep under the newest members
        sponsor[i] = rng.integers(0, i) if rng.random() < 0.6 else rng.integers(max(0, i - 5), i)
    sponsor[size] = rng.integers(0, size)
    sponsor[size + 1 :] = np.arange(size, size + CHAIN - 1)
    base = int(session.scalar(select(func.coalesce(func.max(Member.id), 0))) or 0) + 1
    names = [NAMES[int(k)] for k in rng.integers(0, len(NAMES), size)]
    names = [f"{name} {i}" for i, name in enumerate([*names, *["Chain"] * CHAIN])]
    rows: list[dict[str, Any]] = [
        {
            "id": base + i,
            "member_id": f"S{seed}-{i:04d}",
            "sponsor_id": base + int(sponsor[i]) if sponsor[i] >= 0 else None,
            "joined_on": JAN_1,
            "status": "active",
            "status_since": JAN_1,
            "country": "US",
            "currency": "USD",
            "display_name": names[i],
            "identity_verified": False,
        }
        for i in range(size + CHAIN)
    ]
    session.execute(insert(Member), rows)
    if session.get_bind().dialect.name == "postgresql":
        # Statistics, as a running database has them: without, the planner reads all of
        # members at each of the chain's levels.
        session.execute(text("ANALYZE members"))
    return [base + i for i in range(size + CHAIN)], sponsor, names


def _below(sponsor: np.ndarray, root: int) -> set[int]:
    """Indices in the downline of ``root`` (not ``root``), by following sponsors up."""
    inside = set()
    for i in range(sponsor.size):
        j = int(sponsor[i])
        while j >= 0 and j != root:
            j = int(sponsor[j])
        if j == root and i != root:
            inside.add(i)
    return inside


def _plain(rows: list[Any]) -> list[tuple[int, str, str, int]]:
    return [(int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]


@pytest.mark.parametrize("seed", [3, 11])
def test_every_way_answers_what_the_whole_walk_answers(session: Session, seed: int) -> None:
    add_company(session)
    pks, sponsor, names = _tree(session, 400, seed)
    session.flush()
    roots = [0, int(sponsor[400]), int(np.argmax(np.bincount(sponsor[sponsor >= 0])))]
    inside_id = f"s{seed}-{max(_below(sponsor, roots[1])):04d}"  # lower case: ids match so
    checked = 0
    for root in roots:
        for typed in (*TEXTS, inside_id):
            for limit in (1, 7, 2_000):
                expected = _plain(downline_search.everything(session, pks[root], typed, limit))
                for way in WAYS:
                    assert _plain(way(session, pks[root], typed, limit)) == expected, (
                        way.__name__,
                        root,
                        typed,
                        limit,
                    )
                checked += len(expected)
    assert checked > 10_000  # the texts do find members, deep ones too
    everyone = _plain(downline_search.search(session, pks[0], "a", 2_000))
    assert [r[3] for r in everyone] == sorted(r[3] for r in everyone)
    assert len(everyone) == sum("a" in name.lower() for name in names[1:])
    by_id = _plain(downline_search.search(session, pks[roots[1]], inside_id, 50))
    assert [r[1].lower() for r in by_id] == [inside_id]
    chain = _plain(downline_search.search(session, pks[400], "chain", 2_000))
    assert [r[3] for r in chain] == list(range(1, CHAIN))  # the chain's own top excluded


def test_no_text_finds_anyone_outside_the_downline(session: Session) -> None:
    add_company(session)
    pks, sponsor, _ = _tree(session, 400, 5)
    session.flush()
    root = int(sponsor[400])  # below a member at the top's frontline: the chain's upline
    while sponsor[root] > 0:
        root = int(sponsor[root])
    inside = _below(sponsor, root)
    outside = [i for i in range(sponsor.size) if i not in inside]
    assert len(inside) > CHAIN and len(outside) > 50
    texts = [*TEXTS, *(f"S5-{i:04d}" for i in outside[:40]), "S5-"]
    for typed in texts:
        for way in WAYS:
            found = {pks.index(int(r[0])) for r in way(session, pks[root], typed, 5_000)}
            assert found <= inside, (way.__name__, typed, sorted(found - inside)[:5])
    # The ids of members outside, upline included, find nothing from the root; from the
    # top, they find their member.
    for i in outside[:40]:
        if i != root:
            assert downline_search.search(session, pks[root], f"S5-{i:04d}", 50) == []
    other = outside[-1]
    top_hits = downline_search.search(session, pks[0], f"S5-{other:04d}", 50)
    assert [int(r[0]) for r in top_hits] == [pks[other]]


@pytest.mark.postgres
def test_postgresql_finds_a_rare_text_through_its_matches_and_a_common_one_by_levels(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_company(session)
    pks, sponsor, _ = _tree(session, 400, 7)
    session.flush()
    root = int(sponsor[400])
    while sponsor[root] > 0:
        root = int(sponsor[root])
    deepest = max(_below(sponsor, root) - {*range(400, 400 + CHAIN)})
    calls: list[str] = []

    def counted(name: str, way: Any) -> Any:
        def call(*args: Any) -> Any:
            calls.append(name)
            return way(*args)

        return call

    for name in ("by_levels", "by_candidates"):
        monkeypatch.setattr(downline_search, name, counted(name, getattr(downline_search, name)))
    found = _plain(downline_search.search(session, pks[root], f"s7-{deepest:04d}", 50))
    assert [r[0] for r in found] == [pks[deepest]]
    assert calls == ["by_candidates"]  # one match: its upline alone is read
    calls.clear()
    common = _plain(downline_search.search(session, pks[0], "chain", 5))
    assert [r[2] for r in common] == [f"Chain {400 + i}" for i in range(5)]
    assert calls == ["by_levels"]  # 1,500 matches: more than CANDIDATE_CAP
    calls.clear()
    deep = _plain(downline_search.search(session, pks[0], "chain 18", 50))
    assert deep == _plain(downline_search.everything(session, pks[0], "chain 18", 50))
    assert len(deep) == 50 and deep[0][2] == "Chain 1800"
    assert calls == ["by_candidates", "by_levels"]  # 100 matches deeper than CLIMB

"""Bulk placement agrees with placing one member at a time, compiled or not."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairtree.genealogy.placement_bulk import HAVE_NUMBA, place_all
from fairtree.genealogy.placement_memory import place_one_by_one

RULES = ["outer_left", "outer_right", "weaker_leg", "alternate"]


def random_sponsors(seed: int, members: int, roots: int = 1) -> np.ndarray:
    """Sponsors with recency and a few extra roots: sponsor[i] < i."""
    rng = np.random.default_rng(seed)
    index = np.arange(members)
    sponsor = np.floor(index * rng.random(members) ** 0.5).astype(np.int64)
    sponsor[0] = -1
    sponsor[rng.choice(np.arange(1, members), size=roots - 1, replace=False)] = -1
    return sponsor


@st.composite
def sponsor_arrays(draw):
    picks = draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=80))
    return np.array([-1] + [pick % i if pick % 13 else -1 for i, pick in enumerate(picks[1:], 1)])


@settings(max_examples=60, deadline=None)
@given(sponsor=sponsor_arrays(), rule=st.sampled_from(RULES))
def test_binary_bulk_matches_one_by_one(sponsor, rule):
    parent, position = place_all(sponsor, "binary", rule)
    expected_parent, expected_position = place_one_by_one(sponsor, "binary", rule)
    assert parent.tolist() == expected_parent.tolist()
    assert position.tolist() == expected_position.tolist()


@settings(max_examples=60, deadline=None)
@given(sponsor=sponsor_arrays(), width=st.integers(2, 5))
def test_matrix_bulk_matches_one_by_one(sponsor, width):
    parent, position = place_all(sponsor, "matrix", width=width)
    expected_parent, expected_position = place_one_by_one(sponsor, "matrix", width=width)
    assert parent.tolist() == expected_parent.tolist()
    assert position.tolist() == expected_position.tolist()


@pytest.mark.parametrize(("kind", "rule"), [("binary", r) for r in RULES] + [("matrix", "")])
def test_bulk_matches_one_by_one_on_a_larger_network(kind, rule):
    sponsor = random_sponsors(seed=5, members=3000, roots=3)
    args = {"rule": rule} if rule else {"width": 3}
    parent, position = place_all(sponsor, kind, **args)
    expected = place_one_by_one(sponsor, kind, **args)
    assert np.array_equal(parent, expected[0])
    assert np.array_equal(position, expected[1])
    assert (parent == -1).sum() == 3


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed")
@pytest.mark.parametrize(("kind", "rule", "width"), [
    *[("binary", r, 2) for r in RULES], ("matrix", "weaker_leg", 2), ("matrix", "weaker_leg", 4),
])  # fmt: skip
def test_compiled_kernels_match_the_python_fallback(kind, rule, width):
    sponsor = random_sponsors(seed=9, members=20_000, roots=2)
    compiled = place_all(sponsor, kind, rule, width, use_numba=True)
    fallback = place_all(sponsor, kind, rule, width, use_numba=False)
    assert np.array_equal(compiled[0], fallback[0])
    assert np.array_equal(compiled[1], fallback[1])


def test_every_slot_is_used_once_and_parents_joined_earlier():
    sponsor = random_sponsors(seed=3, members=50_000)
    for kind, width in (("binary", 2), ("matrix", 3)):
        parent, position = place_all(sponsor, kind, "weaker_leg", width)
        placed = parent >= 0
        assert (parent[placed] < np.flatnonzero(placed)).all()
        slots = parent[placed] * 16 + position[placed]
        assert np.unique(slots).shape[0] == placed.sum()
        low, high = (0, 1) if kind == "binary" else (1, width)
        assert position[placed].min() == low and position[placed].max() == high


def test_placement_stays_under_the_sponsor():
    """Every member lands inside their sponsor's placement subtree."""
    sponsor = random_sponsors(seed=4, members=2000)
    for kind in ("binary", "matrix"):
        parent, _ = place_all(sponsor, kind, "alternate", 3)
        for member in range(1, 2000):
            up = parent[member]
            while up != sponsor[member]:
                assert up >= 0, f"member {member} is not under sponsor {sponsor[member]}"
                up = parent[up]


def test_none_places_nobody():
    parent, position = place_all(np.array([-1, 0, 0]), "none")
    assert parent.tolist() == [-1, -1, -1]
    assert position.tolist() == [-1, -1, -1]


def test_bulk_refuses_a_sponsor_who_joined_later():
    with pytest.raises(ValueError, match="member 2: sponsor 3 must be -1 or an earlier member"):
        place_all(np.array([-1, 0, 3, 0]), "binary", "alternate")

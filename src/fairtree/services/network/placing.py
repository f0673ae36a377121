"""Choosing a placement slot in the stored tree, and writing it safely under concurrency.

The rules themselves live in :mod:`fairtree.genealogy.placement`; here they run over
the database through :class:`StorePlacementView`. Two writers can pick the same open
slot at once; the unique constraint on (placement_parent_id, placement_position) lets
only one of them commit it. The other's write fails inside a savepoint, which is rolled
back, and the slot is chosen again from the tree as it is now: an automatic placement
then lands in the next open slot, a slot chosen by hand is refused as taken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, PositionOutOfRangeError, SlotTakenError
from fairtree.genealogy.placement import (
    BinaryRule,
    PlacementKind,
    place_automatically,
    place_forced,
)
from fairtree.store.models import Company
from fairtree.store.repositories.network import genealogy as tree_repo
from fairtree.store.repositories.network import genealogy_history
from fairtree.store.repositories.network import members as members_repo
from fairtree.store.repositories.network.placement_view import (
    StorePlacementView,
    position_from_text,
    position_to_text,
)

MAX_PLACEMENT_ATTEMPTS = 50
T = TypeVar("T")


def choose_slot(
    session: Session,
    company: Company,
    start_pk: int,
    position: str | None,
    record: str,
    moving: int | None = None,
) -> tuple[int, str]:
    """(placement parent, stored position) for a member placed at or below ``start_pk``.

    With ``position`` the slot (start, position) is taken as chosen, if it is free;
    without, the company's rule picks: a binary rule from the top of ``start_pk``'s
    legs, or the first open matrix slot breadth first below ``start_pk``. ``moving`` is
    a member being moved: it is lifted out of the tree while its new slot is chosen.
    """
    kind = PlacementKind(company.placement)
    view = StorePlacementView(session, kind, company.matrix_width, lifted=moving)
    if position is not None:
        try:
            wanted = position_from_text(kind, position)
        except ValueError as error:
            raise PositionOutOfRangeError(f"{record} [placement_position]: {error}") from error
        try:
            parent, slot = place_forced(view, start_pk, wanted, kind, company.matrix_width)
        except PositionOutOfRangeError as error:
            raise PositionOutOfRangeError(f"{record} [placement_position]: {error}") from error
        except SlotTakenError:
            taken_by = view.child(start_pk, wanted)
            names = members_repo.external_ids(session, [start_pk, taken_by])
            raise SlotTakenError(
                f"{record} [placement_position]: slot {position_to_text(kind, wanted)} under "
                f"{names[start_pk]!r} is taken by {names.get(taken_by or -1)!r}"
            ) from None
    else:
        binary = kind is PlacementKind.BINARY
        parent, slot = place_automatically(
            view,
            start_pk,
            kind,
            rule=BinaryRule(company.binary_rule or BinaryRule.WEAKER_LEG),
            width=company.matrix_width,
            enrollments_before=genealogy_history.enrollments_by(session, start_pk) if binary else 0,
        )
    return parent, position_to_text(kind, slot)


def write_with_retry(
    session: Session, attempt: Callable[[], T], *, chosen_by_hand: bool, record: str
) -> T:
    """Run ``attempt`` (choose a slot and write it) in a savepoint until no slot collides."""
    for _ in range(MAX_PLACEMENT_ATTEMPTS):
        try:
            with session.begin_nested():
                return attempt()
        except IntegrityError as error:
            if not tree_repo.is_slot_conflict(error):
                raise
            if chosen_by_hand:
                raise SlotTakenError(
                    f"{record} [placement_position]: the chosen slot was taken by a "
                    "concurrent enrollment"
                ) from None
    raise ConflictError(
        f"{record} [placement_position]: no free slot could be kept after "
        f"{MAX_PLACEMENT_ATTEMPTS} attempts; too many concurrent placements"
    )

"""The placement tree seen from the sponsor-preorder arrays every kind works in.

The placement tree has its own preorder (each placement subtree contiguous), so leg
volumes are prefix sums there; these helpers translate between the two numberings
and return per-member figures in sponsor preorder. No loop over members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba
import numpy as np

from fairtree.engine.context import Context
from fairtree.engine.inputs import Members
from fairtree.errors import PlanError, Problem
from fairtree.genealogy.network import PlacementTree
from fairtree.genealogy.tree import Tree, parents_status
from fairtree.plans.schema import Plan


def refuse_bad_slots(
    plan: Plan, bonus_id: str, members: Members, slots: range, field: str, what: str
) -> None:
    """Refuse a placed member whose slot this bonus cannot read (input order).

    A slot outside ``slots`` would put the member's volume in no leg or level, so the
    run stops and names the members instead of paying as if they were not there.
    """
    if members.placement_parent is None or members.placement_position is None:
        return
    slot = members.placement_position  # compared in its own (small) integer type
    wrong = np.flatnonzero(
        (members.placement_parent >= 0) & ((slot < slots.start) | (slot >= slots.stop))
    )
    if wrong.size:
        index = [bonus.id for bonus in plan.bonuses].index(bonus_id)
        raise PlanError(
            [
                Problem(
                    "plan",
                    f"bonuses[{index}].{field}" if field else f"bonuses[{index}]",
                    field or "kind",
                    f"member {members.ids[m]} holds placement slot {int(slot[m])}, {what}",
                )
                for m in wrong[:20]
            ]
        )


@dataclass(frozen=True)
class PlacementView:
    """Placement arrays plus the maps to and from sponsor preorder."""

    tree: Tree  # placement preorder
    leg: np.ndarray  # slot under the placement parent, placement preorder
    to_sponsor: np.ndarray  # placement position -> sponsor position
    to_placement: np.ndarray  # sponsor position -> placement position
    # slot -> the child holding it (``slot_child``), computed once per slot
    children: dict[int, np.ndarray] = field(default_factory=dict, compare=False)

    def parent_in_sponsor_order(self) -> np.ndarray:
        """Each member's placement parent as a sponsor position (-1 for a root)."""
        parent_p = self.tree.parent[self.to_placement]
        return np.where(parent_p >= 0, self.to_sponsor[np.maximum(parent_p, 0)], -1)

    def slot_in_sponsor_order(self) -> np.ndarray:
        return self.leg[self.to_placement].astype(np.int64)


def placement_view(ctx: Context) -> PlacementView:
    """The context's placement tree; without one every member is a root of its own."""
    placement = ctx.placement
    if placement is None:
        n = ctx.size
        own = np.arange(n, dtype=np.int64)
        placement = PlacementTree(
            tree=Tree(
                order=ctx.tree.order.copy(),
                position=ctx.tree.position.copy(),
                parent=np.full(n, -1, dtype=np.int64),
                depth=np.zeros(n, dtype=np.int32),
                end=own + 1,
            ),
            leg=np.full(n, -1, dtype=np.int8),
        )
    to_sponsor = ctx.tree.position[placement.tree.order]
    to_placement = placement.tree.position[ctx.tree.order]
    return PlacementView(placement.tree, placement.leg, to_sponsor, to_placement)


def slot_child(view: PlacementView, slot: int) -> np.ndarray:
    """Per member (placement preorder): the placement child holding ``slot``, as a
    placement position, -1 when empty (int32: half the memory of positions)."""
    if slot not in view.children:
        tree = view.tree
        out = np.full(tree.size, -1, dtype=np.int32)
        child = np.flatnonzero(tree.parent >= 0)
        holders = child[view.leg[child] == slot]
        out[tree.parent[holders]] = holders
        view.children[slot] = out
    return view.children[slot]


def placement_subtree_volume(view: PlacementView, volume: np.ndarray) -> np.ndarray:
    """Volume (given in sponsor preorder) of each placement subtree, placement preorder."""
    cum = np.zeros(view.tree.size + 1, dtype=np.int64)
    np.cumsum(np.asarray(volume, dtype=np.int64)[view.to_sponsor], out=cum[1:])
    return view.tree.subtree_from_prefix(cum)  # the gathered volume is already freed


def slot_volume(view: PlacementView, subtree: np.ndarray, slot: int) -> np.ndarray:
    """Per member (sponsor preorder): the volume of the placement subtree under
    ``slot`` (0 where the slot is empty); ``subtree`` from ``placement_subtree_volume``."""
    child = slot_child(view, slot)
    under = subtree[child]  # an empty slot (-1) reads the last entry: zeroed next
    under[child < 0] = 0
    return under[view.to_placement]


@numba.njit(cache=True)
def _join_order_slot_volumes(
    placement_parent, slot, slots, to_sponsor, volume, subtree, out
):  # pragma: no cover
    """Slot volumes straight from the input-order placement columns, members in join
    order (every placement parent index below its child's): placement subtree volumes
    by one descending scan, then each child's subtree written to its parent's slot
    (a later member in the same slot wins, as in :func:`slot_child`)."""
    n = placement_parent.shape[0]
    for i in range(n):
        subtree[i] = volume[to_sponsor[i]]
    for i in range(n - 1, -1, -1):
        if placement_parent[i] >= 0:
            subtree[placement_parent[i]] += subtree[i]
    for i in range(n):
        parent = placement_parent[i]
        if parent >= 0:
            for k in range(slots.shape[0]):
                if slot[i] == slots[k]:
                    out[k, to_sponsor[parent]] = subtree[i]


def join_order_slot_volumes(
    placement_parent: np.ndarray,
    slot: np.ndarray,
    slots: np.ndarray,
    to_sponsor: np.ndarray,
    volume: np.ndarray,
) -> np.ndarray:
    """(len(slots), n): the compiled pass into arrays numpy allocates (huge pages)."""
    n = placement_parent.shape[0]
    out = np.zeros((slots.shape[0], n), dtype=np.int64)
    subtree = np.empty(n, dtype=np.int64)
    _join_order_slot_volumes(placement_parent, slot, slots, to_sponsor, volume, subtree, out)
    return out


def slot_volumes(ctx: Context, volume: np.ndarray, slots: tuple[int, ...]) -> list[np.ndarray]:
    """Per slot, per member (sponsor preorder): the volume (given in sponsor preorder)
    of the placement subtree under that slot, 0 where the slot is empty.

    Members in join order (the usual case) take one compiled pass over the placement
    columns and never build the placement tree; otherwise the placement tree's preorder
    (which also names a loop or an unknown parent) gives the same figures.
    """
    members = ctx.inputs.members
    if members.placement_parent is None or members.placement_position is None:
        return [np.zeros(ctx.size, dtype=np.int64) for _ in slots]
    parent = np.asarray(members.placement_parent, dtype=np.int64)
    bad, joined = parents_status(parent) if parent.size else (-1, False)
    if bad >= 0 or not joined or ctx._placement is not None:
        view = placement_view(ctx)
        subtree = placement_subtree_volume(view, volume)
        return [slot_volume(view, subtree, slot) for slot in slots]
    out = join_order_slot_volumes(
        parent,
        members.placement_position,
        np.asarray(slots, dtype=np.int64),
        ctx.tree.position,
        np.asarray(volume, dtype=np.int64),
    )
    return list(out)


def slot_heads(view: PlacementView, slots: tuple[int, ...], member: int) -> list[int]:
    """One member's placement child in each slot, as sponsor positions (-1: empty);
    for explanations, so the close never builds the (n, k) table of heads."""
    at = int(view.to_placement[member])
    children = [int(slot_child(view, slot)[at]) for slot in slots]
    return [int(view.to_sponsor[c]) if c >= 0 else -1 for c in children]


def sides_holding(
    view: PlacementView, members: np.ndarray, owner: np.ndarray, slots: tuple[int, ...]
) -> np.ndarray:
    """Per owner (sponsor preorder, int8): in how many of ``slots`` the owner's
    placement subtree holds one of ``members``.

    ``members`` and ``owner`` are parallel sponsor positions (e.g. active members and
    their sponsors).
    """
    tree = view.tree
    count = np.zeros(tree.size, dtype=np.int8)
    keep = owner >= 0
    members, owner = members[keep], owner[keep]
    member_p = view.to_placement[members]
    owner_p = view.to_placement[owner]
    for slot in slots:
        head = slot_child(view, slot)[owner_p]
        inside = (head >= 0) & (member_p >= head) & (member_p < tree.end[np.maximum(head, 0)])
        holding = np.zeros(tree.size, dtype=bool)
        holding[owner[inside]] = True
        count += holding
    return count

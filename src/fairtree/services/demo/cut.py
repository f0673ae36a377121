"""The demo as of a day: a generated company with everything dated after it left out.

The generator simulates whole months; the demo's last month is the current one, so
without this cut it would hold members who join, customers, parties and orders dated
later this month. Rows are dropped, never re-dated, and every index that points at a
dropped row is remapped (a row that points at a dropped one is dropped too).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from fairtree.simulation.company import SyntheticCompany


def _kept_index(keep: np.ndarray) -> np.ndarray:
    """Old index -> new index, -1 for a dropped row."""
    mapping = np.full(keep.shape[0], -1, dtype=np.int64)
    mapping[keep] = np.arange(int(keep.sum()), dtype=np.int64)
    return mapping


def _remap(mapping: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``index`` through ``mapping``; -1 (none) stays -1."""
    return np.where(index >= 0, mapping[np.maximum(index, 0)], -1)


def _points_at_kept(mapping: np.ndarray, index: np.ndarray) -> np.ndarray:
    return (index < 0) | (mapping[np.maximum(index, 0)] >= 0)


def _take(rows: object, keep: np.ndarray, **changed: np.ndarray) -> object:
    fields = {name: value[keep] for name, value in vars(rows).items()}
    fields.update({name: value[keep] for name, value in changed.items()})
    return replace(rows, **fields)  # type: ignore[type-var]


def as_of(
    company: SyntheticCompany, today: date, max_members: int | None = None
) -> SyntheticCompany:
    """``company`` with nothing dated after ``today``; a status that changed later is
    the status before it (active since joining). With ``max_members``, only the first that
    many members to join are kept (and what belongs to them)."""
    day = np.datetime64(today, "D")
    members, customers, parties = company.members, company.customers, company.parties
    orders, lines = company.orders, company.order_lines

    keep_members = members.joined_on <= day
    if max_members is not None:
        keep_members &= np.arange(len(members)) < max_members
    member_map = _kept_index(keep_members)
    later = members.status_since > day
    status = np.where(later, "active", members.status)
    status_since = np.where(later, members.joined_on, members.status_since)
    new_members = _take(
        members,
        keep_members,
        sponsor=_remap(member_map, members.sponsor),
        placement_parent=_remap(member_map, members.placement_parent),
        status=status,
        status_since=status_since,
    )

    keep_customers = (customers.created_on <= day) & _points_at_kept(member_map, customers.owner)
    customer_map = _kept_index(keep_customers)
    new_customers = _take(customers, keep_customers, owner=_remap(member_map, customers.owner))

    keep_parties = (
        (parties.held_on <= day)
        & _points_at_kept(member_map, parties.consultant)
        & _points_at_kept(member_map, parties.host_member)
        & _points_at_kept(customer_map, parties.host_customer)
    )
    party_map = _kept_index(keep_parties)
    new_parties = _take(
        parties,
        keep_parties,
        consultant=_remap(member_map, parties.consultant),
        host_member=_remap(member_map, parties.host_member),
        host_customer=_remap(customer_map, parties.host_customer),
    )

    keep_orders = (
        (orders.placed_on <= day)
        & _points_at_kept(member_map, orders.buyer_member)
        & _points_at_kept(customer_map, orders.buyer_customer)
        & _points_at_kept(party_map, orders.party)
    )
    # A return of a dropped order goes too (returns come after their orders).
    keep_orders &= _points_at_kept(_kept_index(keep_orders), orders.returns_order)
    order_map = _kept_index(keep_orders)
    new_orders = _take(
        orders,
        keep_orders,
        buyer_member=_remap(member_map, orders.buyer_member),
        buyer_customer=_remap(customer_map, orders.buyer_customer),
        party=_remap(party_map, orders.party),
        returns_order=_remap(order_map, orders.returns_order),
    )
    keep_lines = order_map[lines.order] >= 0
    new_lines = _take(lines, keep_lines, order=order_map[lines.order])

    return replace(
        company,
        members=new_members,  # type: ignore[arg-type]
        customers=new_customers,  # type: ignore[arg-type]
        parties=new_parties,  # type: ignore[arg-type]
        orders=new_orders,  # type: ignore[arg-type]
        order_lines=new_lines,  # type: ignore[arg-type]
        end=min(company.end, day + np.timedelta64(1, "D")),
    )

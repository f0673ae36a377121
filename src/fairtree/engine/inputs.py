"""What the engine evaluates: a network and its orders as column arrays.

Indices are input indices (row numbers of ``Members``); the engine renumbers to
preorder internally and reports results back in input order. Volumes are integer
hundredths of a point, money integer minor units of the plan currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np


class OrderNames(Protocol):
    """Order ids by row: an object array, or a stand-in that reads them when asked
    (a store loads millions of orders for a close that names none of them)."""

    def __len__(self) -> int: ...

    def __getitem__(self, rows: Any) -> Any: ...


STATUS_CODES = {"active": 0, "inactive": 1, "terminated": 2, "closed": 3}
STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}


def status_codes(names: np.ndarray) -> np.ndarray:
    """Status names to their int8 codes (-1 for a name the engine does not know)."""
    codes = np.full(names.shape[0], -1, dtype=np.int8)
    for name, code in STATUS_CODES.items():
        codes[names == name] = code
    return codes


@dataclass(frozen=True)
class Members:
    ids: np.ndarray  # str/object ids, for messages and reports
    sponsor: np.ndarray  # int64 input index, -1 for a root
    joined_on: np.ndarray  # datetime64[D]
    status: np.ndarray  # int8, see STATUS_CODES
    placement_parent: np.ndarray | None = None  # int64, -1 for a root / none
    placement_position: np.ndarray | None = None  # int8: 0=L 1=R, 1..W matrix, -1 none

    def __len__(self) -> int:
        return int(self.sponsor.shape[0])


@dataclass(frozen=True)
class OrderLines:
    """The period's volume by product, one row per commissionable order line: what a
    bonus limited to some products (``paid_on`` in the plan) pays on. Volumes are the
    line's totals (quantity x per unit), negative on a return like the order's; an
    order's lines add up to its ``pv``/``bv``, and an order without lines has volume on
    no product. Products are rows of ``product_ids``/``product_category`` (the
    catalogue), so a bonus selects lines by one gather."""

    order: np.ndarray  # int64 row in Orders
    product: np.ndarray  # int32 row in product_ids / product_category
    pv: np.ndarray  # int64 hundredths
    bv: np.ndarray  # int64 hundredths
    product_ids: np.ndarray  # object: product id (sku) per catalogue row
    product_category: np.ndarray  # object: category per catalogue row, "" for none

    def __len__(self) -> int:
        return int(self.order.shape[0])


@dataclass(frozen=True)
class Orders:
    """One row per order (or return). Return rows carry negative volumes and amounts."""

    ids: OrderNames  # for explanations; index with an array of rows (``names``)
    buyer: np.ndarray  # int64 member index; for a customer's order, the owning member
    from_customer: np.ndarray  # bool: bought by a retail customer (not a member)
    placed_on: np.ndarray  # datetime64[D]
    pv: np.ndarray  # int64 hundredths, commissionable lines only
    bv: np.ndarray  # int64 hundredths, commissionable lines only
    sales: np.ndarray  # int64 minor units charged on commissionable lines
    noncommissionable_sales: np.ndarray  # int64 minor units (e.g. host reward items)
    retail_margin: np.ndarray  # int64 minor units: retail minus member price (customer orders)
    party: np.ndarray  # int64 party index, -1 for none
    # order kind labels (object/str) for plans that qualify by a kind of order (e.g.
    # "subscription"); None: every row is an "order" (or a return, by its sign)
    kind: np.ndarray | None = None
    # volume by product, for bonuses limited to some products; None: no order has lines
    lines: OrderLines | None = None

    def __len__(self) -> int:
        return int(self.buyer.shape[0])

    def names(self, rows: np.ndarray) -> tuple[str, ...]:
        """The ids of orders ``rows``, asked for at once (one read for a stand-in)."""
        rows = np.asarray(rows, dtype=np.int64)
        return tuple(str(name) for name in self.ids[rows]) if rows.size else ()

    @classmethod
    def empty(cls) -> Orders:
        z = np.zeros(0, dtype=np.int64)
        return cls(
            ids=np.zeros(0, dtype=object),
            buyer=z,
            from_customer=np.zeros(0, dtype=bool),
            placed_on=np.zeros(0, dtype="datetime64[D]"),
            pv=z,
            bv=z,
            sales=z,
            noncommissionable_sales=z,
            retail_margin=z,
            party=z,
        )


@dataclass(frozen=True)
class Parties:
    """Parties of a party plan; ``Orders.party`` indexes these rows."""

    ids: np.ndarray
    consultant: np.ndarray  # int64 member index
    host_member: np.ndarray  # int64 member index or -1 (a customer hosts)
    held_on: np.ndarray  # datetime64[D]
    host_customer: np.ndarray | None = None  # object: customer id hosting, "" when none

    def __len__(self) -> int:
        return int(self.consultant.shape[0])

    def host_name(self, party: int, member_ids: np.ndarray) -> str:
        """Who receives the host credit: the hosting member's or customer's id, or ""."""
        if self.host_member[party] >= 0:
            return str(member_ids[self.host_member[party]])
        if self.host_customer is not None and self.host_customer[party]:
            return str(self.host_customer[party])
        return ""


@dataclass(frozen=True)
class CarryState:
    """State one period hands to the next, in input order.

    ``highest_rank`` is the highest rank index ever achieved (0 = none); ``values``
    holds per-kind arrays keyed ``"<bonus id>.<name>"`` (e.g. ``"binary.left"``).
    """

    highest_rank: np.ndarray  # int16
    values: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def empty(cls, members: int) -> CarryState:
        return cls(highest_rank=np.zeros(members, dtype=np.int16))


@dataclass(frozen=True)
class EngineInput:
    members: Members
    orders: Orders
    parties: Parties | None = None
    carry_in: CarryState | None = None

"""A synthetic company as numpy column arrays: the generator's output, the writer's input.

Every table is a set of equally long arrays; row ``i`` of a table is index ``i`` and other
tables refer to it by that index (``-1`` means none). Rows are in creation order, which is
also the order the dataset files list them. Money is int64 minor units of the row's
currency; volumes (PV, BV) are int64 hundredths of a point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MEMBER_STATUSES = ("active", "inactive", "terminated", "closed")
ORDER_KINDS = ("order", "return")


def format_ids(prefix: str, index: np.ndarray, width: int) -> np.ndarray:
    """Text ids ``prefix`` + zero-padded ``index + 1`` (``-1`` gives an empty string)."""
    index = np.asarray(index, dtype=np.int64)
    digits = np.strings.zfill((index + 1).astype(np.str_), width)
    ids = np.strings.add(prefix, digits)
    return np.where(index >= 0, ids, "")


def id_width(count: int, minimum: int) -> int:
    """Digits needed so ``count`` ids all have the same length."""
    return max(minimum, len(str(max(count, 1))))


@dataclass(frozen=True)
class CompanySettings:
    """The row of company.csv."""

    company_id: str
    name: str
    currency: str
    country: str
    period_kind: str
    placement: str  # none | binary | matrix
    matrix_width: int | None
    binary_rule: str | None


@dataclass(frozen=True)
class Members:
    """The network in join order: ``sponsor[i] < i`` (``-1`` for the root)."""

    sponsor: np.ndarray  # int64
    placement_parent: np.ndarray  # int64, -1 for none
    placement_position: np.ndarray  # int8: 0=L, 1=R (binary); 1..W (matrix); -1 none
    joined_on: np.ndarray  # datetime64[D]
    status: np.ndarray  # str, one of MEMBER_STATUSES
    status_since: np.ndarray  # datetime64[D]
    country: np.ndarray  # str, ISO 3166-1 alpha-2
    currency: np.ndarray  # str, ISO 4217
    display_name: np.ndarray  # str
    identity_verified: np.ndarray  # bool
    left_on: np.ndarray  # datetime64[D]: when they stopped (NaT-free; far future if never)

    def __len__(self) -> int:
        return int(self.sponsor.shape[0])

    def member_id(self, index: np.ndarray | int) -> np.ndarray:
        """``M0000001``-style ids of member indices (empty for -1)."""
        return format_ids("M", np.atleast_1d(index), id_width(len(self), 7))


@dataclass(frozen=True)
class Customers:
    """Retail customers, each owned by one member; private to that member."""

    owner: np.ndarray  # int64 member index
    created_on: np.ndarray  # datetime64[D]
    country: np.ndarray  # str
    name: np.ndarray  # str

    def __len__(self) -> int:
        return int(self.owner.shape[0])

    def customer_id(self, index: np.ndarray | int) -> np.ndarray:
        return format_ids("C", np.atleast_1d(index), id_width(len(self), 7))


@dataclass(frozen=True)
class Products:
    """The catalogue: one row per (sku, country)."""

    sku: np.ndarray  # str
    country: np.ndarray  # str
    name: np.ndarray  # str
    currency: np.ndarray  # str
    retail_price: np.ndarray  # int64 minor units
    member_price: np.ndarray  # int64 minor units
    pv: np.ndarray  # int64 hundredths per unit
    bv: np.ndarray  # int64 hundredths per unit
    commissionable: np.ndarray  # bool
    category: np.ndarray  # str, "" for none

    def __len__(self) -> int:
        return int(self.sku.shape[0])


@dataclass(frozen=True)
class Orders:
    """Orders and returns in creation order; a return refers to an earlier order row."""

    kind: np.ndarray  # str, one of ORDER_KINDS
    placed_on: np.ndarray  # datetime64[D]
    buyer_member: np.ndarray  # int64 member index or -1
    buyer_customer: np.ndarray  # int64 customer index or -1
    country: np.ndarray  # str
    currency: np.ndarray  # str
    party: np.ndarray  # int64 party index or -1
    returns_order: np.ndarray  # int64 order index or -1

    def __len__(self) -> int:
        return int(self.kind.shape[0])

    def order_id(self, index: np.ndarray | int) -> np.ndarray:
        return format_ids("O", np.atleast_1d(index), id_width(len(self), 8))


@dataclass(frozen=True)
class OrderLines:
    """Lines grouped by order, in order of ``order`` then ``line_no``."""

    order: np.ndarray  # int64 order index
    line_no: np.ndarray  # int64, 1.. within the order
    sku: np.ndarray  # int64 index of the products row (sku in the order's country)
    quantity: np.ndarray  # int64 > 0
    unit_price: np.ndarray  # int64 minor units of the order's currency
    pv: np.ndarray  # int64 hundredths per unit
    bv: np.ndarray  # int64 hundredths per unit

    def __len__(self) -> int:
        return int(self.order.shape[0])


@dataclass(frozen=True)
class Parties:
    """Parties of a party plan: a consultant, a host, a date."""

    consultant: np.ndarray  # int64 member index
    host_customer: np.ndarray  # int64 customer index or -1
    host_member: np.ndarray  # int64 member index or -1
    held_on: np.ndarray  # datetime64[D]

    def __len__(self) -> int:
        return int(self.consultant.shape[0])

    def party_id(self, index: np.ndarray | int) -> np.ndarray:
        return format_ids("P", np.atleast_1d(index), id_width(len(self), 6))


@dataclass(frozen=True)
class SyntheticCompany:
    """Everything ``write_dataset`` turns into a dataset folder."""

    company: CompanySettings
    members: Members
    customers: Customers
    products: Products
    orders: Orders
    order_lines: OrderLines
    parties: Parties
    start: np.datetime64  # first day simulated
    end: np.datetime64  # first day after the simulation (exclusive)
    seed: int

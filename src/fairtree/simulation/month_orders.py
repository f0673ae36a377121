"""One month's orders for the simulated people, as engine order rows.

A member's month has at most four rows: a starter kit (joining month), own purchases,
retail customers' orders (one row for all of them) and a top-up bought to reach the
plan's activity PV. Every random number is drawn before the plan is read, in a fixed
order, so two plans see the same people make the same choices; only the top-up, which
follows each plan's own rule, differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from fairtree.engine import Orders
from fairtree.engine.evaluate import counted_pv
from fairtree.money import currency_exponent, parse_decimal
from fairtree.plans.schema import Plan
from fairtree.simulation.population import Population
from fairtree.simulation.scenario import Scenario

KIT, OWN, RETAIL, TOP_UP = 0, 1, 2, 3
EXACT_IN_FLOAT = 2**53


def sum_by(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact int64 sums of ``values`` per ``index``: bincount's float64 sums are exact
    while every partial sum stays below 2**53, else the slower integer ``add.at``."""
    if values.size == 0 or int(np.abs(values).sum()) < EXACT_IN_FLOAT:
        return np.bincount(index, weights=values, minlength=size).astype(np.int64)
    total = np.zeros(size, dtype=np.int64)
    np.add.at(total, index, values)
    return total


@dataclass(frozen=True)
class Catalogue:
    """The scenario's products as arrays, money in minor units of the plan currency."""

    member_price: np.ndarray
    retail_price: np.ndarray
    pv: np.ndarray
    bv: np.ndarray
    share: np.ndarray  # probabilities, sum 1

    @classmethod
    def of(cls, scenario: Scenario, currency: str) -> Catalogue:
        exponent = currency_exponent(currency)

        def minor(amount: Any) -> int:
            return parse_decimal(str(amount), exponent)

        products = scenario.products
        share = np.array([p.share for p in products], dtype=np.float64)
        return cls(
            member_price=np.array([minor(p.member_price) for p in products], dtype=np.int64),
            retail_price=np.array([minor(p.retail_price) for p in products], dtype=np.int64),
            pv=np.array([p.pv for p in products], dtype=np.int64),
            bv=np.array([p.bv for p in products], dtype=np.int64),
            share=share / share.sum(),
        )


@dataclass(frozen=True)
class Draws:
    """A month's random choices for the first ``n`` members (plan-independent)."""

    own_orders: np.ndarray  # bool
    own_units: np.ndarray  # int64
    own_product: np.ndarray  # int64
    customers_ordering: np.ndarray  # int64
    retail_units: np.ndarray  # int64
    retail_product: np.ndarray  # int64
    tops_up: np.ndarray  # bool
    day: np.ndarray  # int64 day offset within the month


def draw_month(rng: np.random.Generator, scenario: Scenario, people: Population, n: int) -> Draws:
    ordering = scenario.ordering
    products = len(scenario.products)
    share = np.array([p.share for p in scenario.products], dtype=np.float64)
    share /= share.sum()
    customers = people.customers[:n].astype(np.int64)
    customers_ordering = rng.binomial(customers, ordering.retail.monthly_order_probability)
    extra = rng.poisson(customers_ordering * (ordering.retail.mean_units - 1.0))
    return Draws(
        own_orders=rng.random(n) < ordering.own.monthly_probability,
        own_units=1 + rng.poisson(ordering.own.mean_units - 1.0, n),
        own_product=rng.choice(products, size=n, p=share),
        customers_ordering=customers_ordering,
        retail_units=customers_ordering + extra,
        retail_product=rng.choice(products, size=n, p=share),
        tops_up=rng.random(n) < ordering.qualification.probability,
        day=rng.integers(0, 28, n),
    )


@dataclass(frozen=True)
class MonthOrders:
    """Engine orders plus what each member paid for their own purchases."""

    orders: Orders
    kind: np.ndarray  # int8 per row: KIT, OWN, RETAIL, TOP_UP
    purchases: np.ndarray  # int64 per member: member price paid for kit, own and top-up
    retail_margin: np.ndarray  # int64 per member: retail minus member price of customers' orders


class _Names:
    """Order ids built only when an explanation asks for them."""

    def __init__(self, month: int, count: int) -> None:
        self._month, self._count = month, count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, rows: Any) -> Any:
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        return np.array([f"S{self._month + 1}-{row + 1}" for row in rows], dtype=object)


def month_orders(
    *,
    month: int,
    month_start: np.datetime64,
    people: Population,
    present: np.ndarray,
    draws: Draws,
    scenario: Scenario,
    catalogue: Catalogue,
    plan: Plan,
) -> MonthOrders:
    """Rows for the present members among the first ``present.shape[0]``."""
    n = present.shape[0]
    joined_now = present & (people.join_month[:n] == month)
    kit = scenario.ordering.starter_kit
    rows: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, bool]] = []
    if kit is not None:
        who = np.flatnonzero(joined_now)
        product = np.full(who.shape[0], scenario.sku_index(kit), dtype=np.int64)
        rows.append((KIT, who, np.ones(who.shape[0], np.int64), product, False))
    who = np.flatnonzero(present & draws.own_orders)
    rows.append((OWN, who, draws.own_units[who], draws.own_product[who], False))
    who = np.flatnonzero(present & (draws.retail_units > 0))
    rows.append((RETAIL, who, draws.retail_units[who], draws.retail_product[who], True))
    rows.append(_top_up(rows, n, present, draws, scenario, catalogue, plan))

    kind = np.concatenate([np.full(r[1].shape[0], r[0], np.int8) for r in rows])
    buyer = np.concatenate([r[1] for r in rows])
    units = np.concatenate([r[2] for r in rows])
    product = np.concatenate([r[3] for r in rows])
    from_customer = kind == RETAIL
    member_price = catalogue.member_price[product] * units
    retail_price = catalogue.retail_price[product] * units
    sales = np.where(from_customer, retail_price, member_price)
    margin = np.where(from_customer, retail_price - member_price, 0)
    placed_on = np.maximum(
        month_start + draws.day[buyer].astype("timedelta64[D]"), people.joined_on[buyer]
    )
    zeros = np.zeros(buyer.shape[0], dtype=np.int64)
    orders = Orders(
        ids=_Names(month, buyer.shape[0]),
        buyer=buyer,
        from_customer=from_customer,
        placed_on=placed_on.astype("datetime64[D]"),
        pv=catalogue.pv[product] * units,
        bv=catalogue.bv[product] * units,
        sales=sales,
        noncommissionable_sales=zeros,
        retail_margin=margin,
        party=np.full(buyer.shape[0], -1, dtype=np.int64),
    )
    own = ~from_customer
    return MonthOrders(
        orders=orders,
        kind=kind,
        purchases=sum_by(buyer[own], member_price[own], n),
        retail_margin=sum_by(buyer, margin, n),
    )


def _top_up(
    rows: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, bool]],
    n: int,
    present: np.ndarray,
    draws: Draws,
    scenario: Scenario,
    catalogue: Catalogue,
    plan: Plan,
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, bool]:
    """Units of the qualifying product that bring a member to the plan's activity PV."""
    sku = scenario.sku_index(scenario.ordering.qualification.sku)
    need = plan.activity.min_pv
    unit_pv = int(
        counted_pv(
            plan, np.zeros(1, bool), catalogue.pv[sku : sku + 1], catalogue.bv[sku : sku + 1]
        )[0]
    )
    empty = np.zeros(0, np.int64)
    if need <= 0 or unit_pv <= 0:
        return (TOP_UP, empty, empty, empty, False)
    pv = np.zeros(n, dtype=np.int64)
    for _, who, units, product, from_customer in rows:
        flags = np.full(who.shape[0], from_customer)
        counted = counted_pv(
            plan, flags, catalogue.pv[product] * units, catalogue.bv[product] * units
        )
        pv += sum_by(who, counted, n)
    who = np.flatnonzero(present & draws.tops_up & (pv < need))
    units = -((pv[who] - need) // unit_pv)  # ceiling division
    return (TOP_UP, who, units, np.full(who.shape[0], sku, np.int64), False)

"""Retail customers, orders, parties and returns of a synthetic company.

Each member has a monthly buying propensity (Beta distributed: most buy rarely, a few
every month), so in any month most members place no order. A minority of members keep
retail customers, who buy at retail price. Baskets have a few lines with Zipf-popular
products and small quantities, which makes order values skewed like real ones. A small
share of orders is partly returned later by the same buyer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fairtree.simulation.company import Customers, Members, OrderLines, Orders, Parties, Products
from fairtree.simulation.synth_lines import assemble_orders
from fairtree.simulation.synth_network import DAYS_PER_MONTH

CUSTOMER_NAMES = np.array([
    "Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kai", "Lou", "Max",
    "Ned", "Ona", "Pat", "Quin", "Rae", "Sue", "Ty",
])  # fmt: skip


@dataclass(frozen=True)
class OrderKnobs:
    """Tunable shape of buying (defaults give the shapes the tests check)."""

    member_buy_alpha: float = 1.0  # Beta(alpha, beta) monthly chance a member orders
    member_buy_beta: float = 1.5
    repeat_orders: float = 0.5  # Poisson extra orders in a month, for buyers
    retailer_share: float = 0.30  # members who keep retail customers
    customers_per_retailer: float = 6.0  # mean (geometric)
    customer_buy_monthly: float = 0.5
    customer_stay_months: float = 6.0  # mean (exponential)
    mean_extra_lines: float = 0.8  # lines per order = 1 + Poisson
    mean_extra_units: float = 0.5  # units per line = 1 + geometric extra
    return_share: float = 0.025
    party_share: float = 0.05  # retailers holding a party in a month
    party_order_share: float = 0.5  # of a consultant's customer orders that month


def generate_customers(
    rng: np.random.Generator, members: Members, end: np.datetime64, knobs: OrderKnobs
) -> Customers:
    """Customers of the members who sell retail, in the order they were added."""
    retailers = np.flatnonzero(rng.random(len(members)) < knobs.retailer_share)
    per_retailer = rng.geometric(1.0 / knobs.customers_per_retailer, retailers.shape[0])
    owner = np.repeat(retailers, per_retailer)
    delay = np.floor(rng.exponential(45.0, owner.shape[0])).astype(np.int64)
    created_on = members.joined_on[owner] + delay
    kept = (created_on < end) & (created_on < members.left_on[owner])
    owner, created_on = owner[kept], created_on[kept]
    order = np.argsort(created_on, kind="stable")
    owner, created_on = owner[order], created_on[order]
    first = CUSTOMER_NAMES[rng.integers(0, len(CUSTOMER_NAMES), owner.shape[0])]
    initial = np.array(list("ABCDEFGHJKLMNPRSTW"))[rng.integers(0, 18, owner.shape[0])]
    return Customers(
        owner=owner.astype(np.int64),
        created_on=created_on.astype("datetime64[D]"),
        country=members.country[owner],
        name=np.strings.add(np.strings.add(first, " "), np.strings.add(initial, ".")),
    )


def _dates_in(rng: np.random.Generator, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """A uniform day in ``[first, stop)`` for each row (``stop > first``)."""
    span = (stop - first).astype(np.int64)
    return first + np.floor(rng.random(first.shape[0]) * span).astype(np.int64)


def _buyers_in_month(
    rng: np.random.Generator,
    starts: np.ndarray,
    stops: np.ndarray,
    chance: np.ndarray,
    month_start: np.datetime64,
    month_stop: np.datetime64,
    repeat: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Who orders in this month (one row per order) and on which day."""
    first = np.maximum(starts, month_start)
    stop = np.minimum(stops, month_stop)
    present = np.flatnonzero(first < stop)
    buys = present[rng.random(present.shape[0]) < chance[present]]
    count = 1 + rng.poisson(repeat, buys.shape[0])
    buyer = np.repeat(buys, count)
    return buyer, _dates_in(rng, first[buyer], stop[buyer])


@dataclass
class _RawOrders:
    placed_on: list[np.ndarray]
    member: list[np.ndarray]
    customer: list[np.ndarray]
    party: list[np.ndarray]


def generate_orders(
    rng: np.random.Generator,
    members: Members,
    customers: Customers,
    products: Products,
    bounds: np.ndarray,
    knobs: OrderKnobs,
) -> tuple[Orders, OrderLines, Parties]:
    """Orders month by month (vectorized over buyers), then lines and returns."""
    member_chance = rng.beta(knobs.member_buy_alpha, knobs.member_buy_beta, len(members))
    customer_chance = np.full(len(customers), knobs.customer_buy_monthly)
    stay = np.ceil(rng.exponential(knobs.customer_stay_months, len(customers)) * DAYS_PER_MONTH)
    customer_stop = np.minimum(
        customers.created_on + stay.astype(np.int64), members.left_on[customers.owner]
    )
    first_customer = np.full(len(members), -1, dtype=np.int64)
    owners_reversed = customers.owner[::-1]
    first_customer[owners_reversed] = np.arange(len(customers))[::-1]

    raw = _RawOrders([], [], [], [])
    party_consultant: list[np.ndarray] = []
    party_held_on: list[np.ndarray] = []
    party_count = 0
    for month in range(bounds.shape[0] - 1):
        lo, hi = bounds[month], bounds[month + 1]
        buyer, day = _buyers_in_month(
            rng, members.joined_on, members.left_on, member_chance, lo, hi, knobs.repeat_orders
        )
        raw.placed_on.append(day)
        raw.member.append(buyer)
        raw.customer.append(np.full(buyer.shape[0], -1, dtype=np.int64))
        raw.party.append(np.full(buyer.shape[0], -1, dtype=np.int64))

        cust, cday = _buyers_in_month(
            rng, customers.created_on, customer_stop, customer_chance, lo, hi, 0.0
        )
        # Parties: a few consultants with customers hold one; some customer orders join it.
        owners = np.unique(customers.owner[cust])
        hosts = owners[rng.random(owners.shape[0]) < knobs.party_share]
        held_on = _dates_in(
            rng,
            np.maximum(members.joined_on[hosts], lo),
            np.minimum(members.left_on[hosts], hi),
        )
        party_of_owner = np.full(len(members), -1, dtype=np.int64)
        party_of_owner[hosts] = party_count + np.arange(hosts.shape[0])
        party = party_of_owner[customers.owner[cust]]
        has_party = party >= 0
        held = cday.copy()
        held[has_party] = held_on[party[has_party] - party_count]
        joins = has_party & (rng.random(cust.shape[0]) < knobs.party_order_share)
        joins &= customers.created_on[cust] <= held
        party = np.where(joins, party, -1)
        cday = np.where(joins, held, cday)
        party_consultant.append(hosts)
        party_held_on.append(held_on)
        party_count += hosts.shape[0]

        raw.placed_on.append(cday)
        raw.member.append(np.full(cust.shape[0], -1, dtype=np.int64))
        raw.customer.append(cust)
        raw.party.append(party)

    consultant = np.concatenate(party_consultant).astype(np.int64)
    held_on_all = np.concatenate(party_held_on).astype("datetime64[D]")
    host_customer = first_customer[consultant]
    host_customer = np.where(
        (host_customer >= 0) & (customers.created_on[np.maximum(host_customer, 0)] <= held_on_all),
        host_customer,
        -1,
    )
    parties = Parties(
        consultant=consultant,
        host_customer=host_customer,
        host_member=np.full(consultant.shape[0], -1, dtype=np.int64),
        held_on=held_on_all,
    )
    orders, lines = assemble_orders(
        rng,
        placed_on=np.concatenate(raw.placed_on).astype("datetime64[D]"),
        buyer_member=np.concatenate(raw.member).astype(np.int64),
        buyer_customer=np.concatenate(raw.customer).astype(np.int64),
        party=np.concatenate(raw.party).astype(np.int64),
        members=members,
        customers=customers,
        products=products,
        end=bounds[-1],
        mean_extra_lines=knobs.mean_extra_lines,
        mean_extra_units=knobs.mean_extra_units,
        return_share=knobs.return_share,
    )
    return orders, lines, parties

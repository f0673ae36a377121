"""Generate a synthetic company: a growing network with churn, customers, orders, returns.

``generate`` is deterministic by seed (same arguments, identical arrays and files) and
vectorized over members; only months are looped. ``write_dataset`` writes the dataset
folder format (docs/dataset.md). See docs/synth.md for the model and its knobs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np

from fairtree.genealogy.placement import BinaryRule, PlacementKind
from fairtree.simulation.company import CompanySettings, SyntheticCompany
from fairtree.simulation.dataset_writer import write_dataset
from fairtree.simulation.synth_catalogue import generate_catalogue
from fairtree.simulation.synth_network import NetworkKnobs, generate_members, month_bounds
from fairtree.simulation.synth_orders import OrderKnobs, generate_customers, generate_orders

GENERATE_STEPS = 3


def generate(
    members: int,
    months: int,
    seed: int,
    placement: str = "binary",
    matrix_width: int = 3,
    start: date = date(2026, 1, 1),
    binary_rule: str = "weaker_leg",
    network: NetworkKnobs | None = None,
    buying: OrderKnobs | None = None,
    on_step: Callable[[str], None] | None = None,
) -> SyntheticCompany:
    """A company of ``members`` members who join over ``months`` months from ``start``.

    ``on_step`` is called with a short description after each of the GENERATE_STEPS
    stages (for progress bars).
    """
    step = on_step or (lambda _done: None)
    if members < 1:
        raise ValueError(f"members must be at least 1, got {members}")
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    kind = PlacementKind(placement)
    rule = BinaryRule(binary_rule)
    if kind is PlacementKind.MATRIX and not 2 <= matrix_width <= 100:
        raise ValueError(f"matrix_width must be 2..100, got {matrix_width}")
    network = network or NetworkKnobs()
    buying = buying or OrderKnobs()

    rng = np.random.default_rng(seed)
    bounds = month_bounds(np.datetime64(start, "D"), months)
    member_table = generate_members(
        rng, members, bounds, kind.value, rule.value, matrix_width, network
    )
    step("members")
    products = generate_catalogue(rng)
    customers = generate_customers(rng, member_table, bounds[-1], buying)
    step("customers")
    orders, lines, parties = generate_orders(rng, member_table, customers, products, bounds, buying)
    step("orders")
    settings = CompanySettings(
        company_id=f"synth-{seed}",
        name=f"Synthetic Company {seed}",
        currency="USD",
        country="US",
        period_kind="month",
        placement=kind.value,
        matrix_width=matrix_width if kind is PlacementKind.MATRIX else None,
        binary_rule=rule.value if kind is PlacementKind.BINARY else None,
    )
    return SyntheticCompany(
        company=settings,
        members=member_table,
        customers=customers,
        products=products,
        orders=orders,
        order_lines=lines,
        parties=parties,
        start=bounds[0],
        end=bounds[-1],
        seed=seed,
    )


__all__ = ["GENERATE_STEPS", "generate", "write_dataset"]

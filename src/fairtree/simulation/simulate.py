"""The month-by-month simulator: grow the people, then close each month with the engine.

Each month the plan in force is evaluated by ``fairtree.engine.evaluate`` (the close's
own code) over everyone who has joined so far, with the previous month's carry-out
(binary carry, highest ranks) as carry-in. Pay, purchases, retail margin and expenses
are added up per member; totals per month are kept for payout share and breakage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np

from fairtree.engine import CarryState, EngineInput, Evaluation, Members, evaluate
from fairtree.engine.evaluate import resolve_plan
from fairtree.engine.inputs import STATUS_CODES
from fairtree.money import currency_exponent, parse_decimal
from fairtree.periods import Period
from fairtree.plans.load import PlanDocument
from fairtree.plans.schema import Plan
from fairtree.simulation.month_orders import Catalogue, draw_month, month_orders
from fairtree.simulation.population import Population, grow
from fairtree.simulation.scenario import Scenario

OnMonth = Callable[[int, int], None]


def seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    return seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)


def people_of(scenario: Scenario, months: int, seed: int | np.random.SeedSequence) -> Population:
    """The simulated people of ``seed``: the same for every plan."""
    network, _ = seed_sequence(seed).spawn(2)
    return grow(scenario, months, np.random.default_rng(network))


@dataclass
class MonthTotals:
    present: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    sales: list[int] = field(default_factory=list)  # commissionable sales, minor units
    paid: list[int] = field(default_factory=list)
    pools: list[int] = field(default_factory=list)  # what the bonuses put up
    breakage: list[int] = field(default_factory=list)


@dataclass
class SimulationRun:
    """Everything the report reads: per member (join order) and per month."""

    scenario: Scenario
    plan_name: str
    currency: str
    seed: int | None
    months: int
    people: Population
    pay: np.ndarray  # int64 minor units, company-paid over the whole run
    purchases: np.ndarray  # int64: starter kit, own orders and top-ups at member price
    retail_margin: np.ndarray  # int64: retail minus member price on customers' orders
    expenses: np.ndarray  # int64
    pay_by_year: np.ndarray  # int64 (years, members)
    spend_by_year: np.ndarray  # int64 (years, members): purchases + expenses
    margin_by_year: np.ndarray  # int64 (years, members)
    flat_months: np.ndarray  # int32: months downline volume rose while pay fell
    highest_rank: np.ndarray  # int16 at the end
    rank_names: tuple[str, ...]
    totals: MonthTotals
    bought: np.ndarray  # bool (months from bought_from, members): bought for themselves
    bought_from: int = 0  # first month kept in ``bought``: the disclosure's last full year
    bracket_edges: tuple[Decimal, ...] = ()  # the plan's disclosure brackets
    activity_min_pv: int = 0
    last_input: EngineInput | None = None
    last_period: Period | None = None

    @property
    def net(self) -> np.ndarray:
        """Pay plus retail margin, minus purchases and expenses."""
        return self.pay + self.retail_margin - self.purchases - self.expenses


def disclosure_year_start(months: int) -> int:
    """First month of the run's last full year (0 when the run is a year or shorter):
    the year its simulated income disclosure covers."""
    return 12 * max(months // 12 - 1, 0)


def _padded(carry: CarryState, size: int) -> CarryState:
    """Carry-out of last month for this month's (larger) membership: newcomers carry 0."""

    def pad(values: np.ndarray) -> np.ndarray:
        grown = np.zeros(size, dtype=values.dtype)
        grown[: values.shape[0]] = values
        return grown

    return CarryState(
        highest_rank=pad(carry.highest_rank),
        values={key: pad(value) for key, value in carry.values.items()},
    )


def _period(start: date, month: int) -> Period:
    index = start.year * 12 + start.month - 1 + month
    return Period.month(index // 12, index % 12 + 1)


def simulate(
    plan: Plan | PlanDocument,
    scenario: Scenario,
    months: int,
    seed: int | np.random.SeedSequence,
    *,
    people: Population | None = None,
    on_month: OnMonth | None = None,
    keep_last_input: bool = False,
) -> SimulationRun:
    """Run ``plan`` over ``months`` months of the scenario's people for ``seed``."""
    sequence = seed_sequence(seed)
    _, orders_seed = sequence.spawn(2)
    month_seeds = orders_seed.spawn(months)
    people = people if people is not None else people_of(scenario, months, sequence)
    base = plan.base if isinstance(plan, PlanDocument) else plan
    currency = base.currency
    catalogue = Catalogue.of(scenario, currency)
    exponent = currency_exponent(currency)
    monthly_expense = parse_decimal(str(scenario.expenses.monthly), exponent)
    joining_fee = parse_decimal(str(scenario.expenses.joining_fee), exponent)

    total = len(people)
    years = (months + 11) // 12
    run = SimulationRun(
        scenario=scenario,
        plan_name=base.plan.name,
        currency=currency,
        seed=seed if isinstance(seed, int) else None,
        months=months,
        people=people,
        pay=np.zeros(total, np.int64),
        purchases=np.zeros(total, np.int64),
        retail_margin=np.zeros(total, np.int64),
        expenses=np.zeros(total, np.int64),
        pay_by_year=np.zeros((years, total), np.int64),
        spend_by_year=np.zeros((years, total), np.int64),
        margin_by_year=np.zeros((years, total), np.int64),
        flat_months=np.zeros(total, np.int32),
        highest_rank=np.zeros(total, np.int16),
        rank_names=tuple(rank.name for rank in base.ranks),
        totals=MonthTotals(),
        bought=np.zeros((months - disclosure_year_start(months), total), bool),
        bought_from=disclosure_year_start(months),
        bracket_edges=tuple(base.disclosure.brackets),
        activity_min_pv=base.activity.min_pv,
    )
    ids = np.strings.add("S", np.arange(1, total + 1).astype(np.str_)).astype(object)
    carry: CarryState | None = None
    downline_before = pay_before = np.zeros(0, np.int64)
    present_before = np.zeros(0, bool)
    for month in range(months):
        n = people.joined_by(month)
        present = people.present(month)
        period = _period(scenario.start, month)
        in_force = resolve_plan(plan, period)
        draws = draw_month(np.random.default_rng(month_seeds[month]), scenario, people, n)
        orders = month_orders(
            month=month,
            month_start=np.datetime64(period.start, "D"),
            people=people,
            present=present,
            draws=draws,
            scenario=scenario,
            catalogue=catalogue,
            plan=in_force,
        )
        members = Members(
            ids=ids[:n],
            sponsor=people.sponsor[:n],
            joined_on=people.joined_on[:n],
            status=np.where(present, STATUS_CODES["active"], STATUS_CODES["inactive"]).astype(
                np.int8
            ),
            placement_parent=None
            if people.placement_parent is None
            else people.placement_parent[:n],
            placement_position=(
                None if people.placement_position is None else people.placement_position[:n]
            ),
        )
        inputs = EngineInput(
            members, orders.orders, None, None if carry is None else _padded(carry, n)
        )
        evaluation = evaluate(inputs, plan, period)
        pay = evaluation.member_total()
        spend = orders.purchases + np.where(present, monthly_expense, 0)
        spend[people.join_month[:n] == month] += joining_fee
        year = month // 12
        run.pay[:n] += pay
        run.purchases[:n] += orders.purchases
        run.retail_margin[:n] += orders.retail_margin
        run.expenses[:n] += spend - orders.purchases
        run.pay_by_year[year, :n] += pay
        run.spend_by_year[year, :n] += spend
        run.margin_by_year[year, :n] += orders.retail_margin
        if month >= run.bought_from:
            run.bought[month - run.bought_from, :n] = orders.purchases > 0
        downline = evaluation.group_volume - evaluation.pv
        before = downline_before.shape[0]
        both = present[:before] & present_before
        run.flat_months[:before] += (
            both & (downline[:before] > downline_before) & (pay[:before] < pay_before)
        ).astype(np.int32)
        downline_before, pay_before, present_before = downline, pay, present
        carry = evaluation.carry_out
        _add_totals(run.totals, evaluation, orders.orders.sales, present, people, month)
        if month == months - 1:
            run.highest_rank[:n] = evaluation.carry_out.highest_rank
            if keep_last_input:
                run.last_input, run.last_period = inputs, period
        if on_month is not None:
            on_month(month + 1, months)
    return run


def _add_totals(
    totals: MonthTotals,
    evaluation: Evaluation,
    sales: np.ndarray,
    present: np.ndarray,
    people: Population,
    month: int,
) -> None:
    outcomes = [o for o in evaluation.outcomes.values() if not o.report_only]
    totals.present.append(int(present.sum()))
    totals.joined.append(int((people.join_month == month).sum()))
    totals.left.append(int((people.left_month == month).sum()))
    totals.sales.append(int(sales.sum()))
    totals.paid.append(evaluation.total_paid())
    totals.pools.append(sum(o.pool for o in outcomes))
    totals.breakage.append(sum(o.breakage for o in outcomes))

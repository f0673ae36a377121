"""A simulation scenario: who joins, who leaves, who buys what, in a YAML file.

Validated like a plan: every key is checked, an unknown key is an error, and one
``ScenarioError`` lists every problem with its YAML path and reason. Money is read as
a decimal amount of the plan currency; volumes as points (``40`` or ``"40.5"``).
See docs/simulation.md for the models behind each knob.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import Field, model_validator

from fairtree.errors import Problem, ValidationError
from fairtree.plans.bonus_kinds import Strict
from fairtree.plans.load import read_yaml, yaml_path
from fairtree.plans.values import Amount, Volume


class ScenarioError(ValidationError):
    """A scenario file cannot be simulated; nothing was run."""


class About(Strict):
    name: str = Field(min_length=1)
    description: str = ""


class Placement(Strict):
    """The placement tree new members are put in (binary and matrix plans need one)."""

    kind: Literal["binary", "matrix", "none"] = "binary"
    binary_rule: Literal["weaker_leg", "outer_left", "outer_right", "alternate"] = "weaker_leg"
    matrix_width: int = Field(default=3, ge=2, le=100)


class Preferential(Strict):
    """Chance of recruiting the next joiner is proportional to recruits + ``offset``."""

    offset: float = Field(default=1.0, gt=0)


class SuperRecruiters(Strict):
    """A ``share`` of joiners recruit ``weight`` times as often as everyone else."""

    share: float = Field(default=0.02, gt=0, lt=1)
    weight: float = Field(default=50.0, ge=1)


class Recruitment(Strict):
    """How many join each month and who recruits each of them."""

    model: Literal["uniform", "preferential", "super_recruiters"] = "uniform"
    monthly_rate: float = Field(default=0.3, gt=0, le=10)
    preferential: Preferential = Preferential()
    super_recruiters: SuperRecruiters = SuperRecruiters()


class Market(Strict):
    """People who could ever join; recruiting slows as the market fills (None: no limit)."""

    size: int | None = Field(default=None, ge=1)


class Churn(Strict):
    """Monthly chance a member leaves: in their first twelve months, and later."""

    first_year_monthly: float = Field(default=0.0, ge=0, le=1)
    later_monthly: float = Field(default=0.0, ge=0, le=1)


class Product(Strict):
    sku: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    member_price: Amount
    retail_price: Amount
    pv: Volume
    bv: Volume
    share: float = Field(default=1.0, ge=0)  # relative chance an order is of this product

    @model_validator(mode="after")
    def _prices(self) -> Product:
        if self.member_price <= 0:
            raise ValueError("member_price must be above zero")
        if self.retail_price < self.member_price:
            raise ValueError("retail_price must be at least member_price")
        return self


class OwnOrders(Strict):
    """Each month a present member orders with ``monthly_probability``;
    units are 1 + Poisson(``mean_units`` - 1)."""

    monthly_probability: float = Field(default=0.6, ge=0, le=1)
    mean_units: float = Field(default=1.0, ge=1, le=100)


class Qualification(Strict):
    """A member short of the plan's activity PV tops up to it with ``probability``."""

    probability: float = Field(default=0.0, ge=0, le=1)
    sku: str | None = None  # the product bought to qualify (default: the first)


class Retail(Strict):
    """``share_with_customers`` of joiners have 1 + Poisson(``mean_customers`` - 1)
    retail customers; each orders in a month with ``monthly_order_probability``."""

    share_with_customers: float = Field(default=0.0, ge=0, le=1)
    mean_customers: float = Field(default=1.0, ge=1, le=1000)
    monthly_order_probability: float = Field(default=0.3, ge=0, le=1)
    mean_units: float = Field(default=1.0, ge=1, le=100)


class Ordering(Strict):
    starter_kit: str | None = None  # sku every joiner buys in their joining month
    own: OwnOrders = OwnOrders()
    qualification: Qualification = Qualification()
    retail: Retail = Retail()


class Expenses(Strict):
    """Costs of running the business per present member (not product purchases)."""

    joining_fee: Amount = Decimal(0)
    monthly: Amount = Decimal(0)


class Scenario(Strict):
    scenario: About
    start: date = date(2026, 1, 1)
    starting_members: int = Field(default=1, ge=1, le=1_000_000)
    placement: Placement = Placement()
    recruitment: Recruitment = Recruitment()
    market: Market = Market()
    churn: Churn = Churn()
    products: tuple[Product, ...] = Field(min_length=1)
    ordering: Ordering = Ordering()
    expenses: Expenses = Expenses()

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        if self.start.day != 1:
            raise ValueError("start must be the first day of a month")
        skus = [p.sku for p in self.products]
        if len(set(skus)) != len(skus):
            raise ValueError("products: each sku may appear once")
        if sum(p.share for p in self.products) <= 0:
            raise ValueError("products: at least one share must be above zero")
        for where, sku in (
            ("ordering.starter_kit", self.ordering.starter_kit),
            ("ordering.qualification.sku", self.ordering.qualification.sku),
        ):
            if sku is not None and sku not in skus:
                raise ValueError(f"{where}: unknown sku {sku!r} (products: {', '.join(skus)})")
        if self.market.size is not None and self.market.size < self.starting_members:
            raise ValueError("market.size must be at least starting_members")
        return self

    def sku_index(self, sku: str | None) -> int:
        """Row of ``sku`` in ``products`` (the first product when None)."""
        return 0 if sku is None else [p.sku for p in self.products].index(sku)


def parse_scenario(raw: Any, source: str) -> Scenario:
    """Validate a parsed YAML document; every problem in one ScenarioError."""
    if not isinstance(raw, dict):
        raise ScenarioError([Problem(source, "", "", "a scenario must be a mapping at the top")])
    try:
        return Scenario.model_validate(raw)
    except pydantic.ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            reason = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                reason = "unknown key"
            field = next((str(s) for s in reversed(loc) if isinstance(s, str)), "")
            problems.append(Problem(source, yaml_path(loc), field, reason))
        raise ScenarioError(problems) from None


def load_scenario(path: Path | str) -> Scenario:
    try:
        raw = read_yaml(path)
    except ValidationError as exc:
        raise ScenarioError(exc.problems) from None
    return parse_scenario(raw, str(path))

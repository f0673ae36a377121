"""The plan-test case file (see docs/plan-tests.md): a small network, its orders,
carry-in state and the results a person worked out by hand."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairtree.plans.values import Amount, Volume

DEFAULT_JOINED = date(2020, 1, 1)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CaseMember(Strict):
    id: str = Field(min_length=1, max_length=64)
    sponsor: str | None = None
    joined: date = DEFAULT_JOINED
    status: str = Field(default="active", pattern="^(active|inactive|terminated|closed)$")
    placement_parent: str | None = None
    placement_position: str | None = None  # L / R in a binary tree, 1..W in a matrix


class CaseProduct(Strict):
    id: str = Field(min_length=1, max_length=64)  # the sku
    category: str = ""


class CaseLine(Strict):
    product: str  # a product id of the case's ``products``
    pv: Volume = 0  # the line's points (all its units); a return gives them as positive
    bv: Volume = 0


class CaseOrder(Strict):
    id: str | None = None
    buyer: str | None = None  # a member buys
    customer_of: str | None = None  # a retail customer of this member buys
    date: dt.date | None = None  # default: the period's first day
    pv: Volume = 0  # points per order; a return gives them as positive numbers
    bv: Volume = 0
    sales: Amount = Field(default=0)  # type: ignore[assignment]
    noncommissionable_sales: Amount = Field(default=0)  # type: ignore[assignment]
    retail_margin: Amount = Field(default=0)  # type: ignore[assignment]
    party: str | None = None
    # "return", or the order's kind ("order" by default; e.g. "subscription")
    kind: str = Field(default="order", pattern=r"^[a-z][a-z0-9_]{0,31}$")
    # the order's commissionable lines by product; the order's pv and bv are their sums
    lines: list[CaseLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_buyer(self) -> CaseOrder:
        if (self.buyer is None) == (self.customer_of is None):
            raise ValueError("give exactly one of buyer or customer_of")
        if self.lines and (self.pv or self.bv):
            raise ValueError("give pv and bv, or lines (the order's volume is their sum)")
        return self

    @property
    def total_pv(self) -> int:
        return sum(line.pv for line in self.lines) if self.lines else self.pv

    @property
    def total_bv(self) -> int:
        return sum(line.bv for line in self.lines) if self.lines else self.bv


class CaseParty(Strict):
    id: str
    consultant: str
    host: str | None = None  # a member hosting; empty when a customer hosts
    host_customer: str | None = None  # a retail customer hosting (any id text)
    held_on: date | None = None

    @model_validator(mode="after")
    def _one_host(self) -> CaseParty:
        if self.host is not None and self.host_customer is not None:
            raise ValueError("give at most one of host or host_customer")
        return self


class CarryIn(Strict):
    highest_rank: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[str, Volume]] = Field(default_factory=dict)  # "bonus.key" -> member


class Expect(Strict):
    ranks: dict[str, str | None] | None = None  # complete: unlisted members hold no rank
    highest_ranks: dict[str, str | None] | None = None
    active: dict[str, bool] | None = None
    payouts: dict[str, dict[str, Amount]] | None = None  # complete: unlisted pay is 0
    breakage: dict[str, Amount] | None = None
    pool: dict[str, Amount] | None = None
    total_paid: Amount | None = None
    carry_out: dict[str, dict[str, Volume]] | None = None  # listed members only
    # complete: party id -> {host id: credit}; a party not listed gets no host credit
    host_credits: dict[str, dict[str, Amount]] | None = None


class ExpectError(Strict):
    contains: str  # text the error message must contain
    kind: str = Field(default="plan", pattern="^(plan|network)$")


class Case(Strict):
    plan: str | dict[str, Any]  # path relative to the case file, or the plan inline
    period: str
    description: str = ""
    members: list[CaseMember] = Field(min_length=1)
    products: list[CaseProduct] = Field(default_factory=list)
    orders: list[CaseOrder] = Field(default_factory=list)
    parties: list[CaseParty] = Field(default_factory=list)
    carry_in: CarryIn = CarryIn()
    expect: Expect | None = None
    expect_error: ExpectError | None = None

    @model_validator(mode="after")
    def _one_expectation(self) -> Case:
        if (self.expect is None) == (self.expect_error is None):
            raise ValueError("give exactly one of expect or expect_error")
        return self

"""Settings of the income disclosure statement and the compliance monitors.

They live in the plan file (``disclosure:`` and ``compliance:``) so the lines a company
is measured against are written down, versioned and dated with the rest of its plan.
Every key has a default drawn from a published rule (named beside it), so a plan that
says nothing is still monitored. See docs/disclosure.md.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Literal

from pydantic import Field, field_validator

from fairtree.plans.bonus_kinds import Strict
from fairtree.plans.values import Amount, Rate

SaleClass = Literal["non_participant", "participant"]


class DisclosureSettings(Strict):
    """How the statement groups pay: bracket lower edges in the plan currency (a year)."""

    brackets: list[Amount] = Field(
        default_factory=lambda: [Decimal(x) for x in ("100", "1000", "10000", "50000", "100000")]
    )

    @field_validator("brackets")
    @classmethod
    def _ascending(cls, edges: list[Decimal]) -> list[Decimal]:
        if any(b <= a for a, b in pairwise(edges)) or any(e <= 0 for e in edges):
            raise ValueError("bracket edges must be positive and strictly ascending")
        return edges


class SaleClasses(Strict):
    """Whose purchase counts as a sale to a non-participant.

    Regulators and courts have disagreed (FTC v. Neora, 2023: the court counted preferred
    customers as customers), so each class is a visible setting rather than a rule in code.
    """

    retail_customer: SaleClass = "non_participant"  # an order by a recorded customer
    buyer_only_member: SaleClass = "participant"  # a member who sponsors and sells nothing
    own_use: SaleClass = "participant"  # a member's order for themself

    @field_validator("own_use")
    @classmethod
    def _own_use(cls, value: str) -> str:
        if value != "participant":
            raise ValueError("a member's own order is always a participant's purchase")
        return value


class ComplianceSettings(Strict):
    """The lines the compliance monitors draw, each with the rule it comes from."""

    sale_classes: SaleClasses = SaleClasses()
    # Vemma order (2016): more than 50% of the revenue of a member and their downline
    # must come from non-participants; flagged at or below this share.
    member_min_customer_share: Rate = 500_000
    # Herbalife order (2016): 80% of sales to end users.
    company_min_customer_share: Rate = 800_000
    # Amway's 10-customer rule: retail customers a paid member should have served.
    min_retail_customers: int = Field(default=10, ge=0)
    # Inventory loading: own purchases over the window beyond a personal-use allowance
    # per month plus what the member resold to recorded customers.
    inventory_window_months: int = Field(default=3, ge=1, le=24)
    personal_use_per_month: Amount = Decimal("200")
    # Qualification buying: own volume bought in the last days of a period that came
    # with a higher paid-as rank than the period before.
    qualification_window_days: int = Field(default=3, ge=1, le=31)
    qualification_min_volume_share: Rate = 500_000
    # Pay triggered by recruiting rather than sales to end users.
    recruiting_bonuses: list[str] = Field(default_factory=list)  # ids, besides fast_start
    max_recruiting_pay_share: Rate = 200_000

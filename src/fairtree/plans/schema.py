"""The plan file as typed models: metadata, currency, rounding, volumes, activity,
ranks and bonuses. Unknown keys are errors everywhere."""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from fairtree.money import RoundingRule
from fairtree.plans.bonus_kinds import BonusBase, Strict, bonus_models, bonus_union
from fairtree.plans.schema_disclosure import ComplianceSettings, DisclosureSettings
from fairtree.plans.values import Rate, Volume

if TYPE_CHECKING:
    # At run time ``BonusConfig`` is the registered kinds' union (``plan_model``).
    BonusConfig = BonusBase


class Metadata(Strict):
    name: str = Field(min_length=1)
    version: str = "1"
    description: str = ""


class Volumes(Strict):
    """Which order figures count as PV and BV, and whose PV a customer order is."""

    pv_from: Literal["pv", "bv"] = "pv"
    bv_from: Literal["pv", "bv"] = "bv"
    customer_orders: Literal["owner", "none"] = "owner"  # owner: counts in owner's PV/BV


class QualifyingOrder(Strict):
    """One order of the member's own (not a retail customer's, not a return) placed in
    the period with at least ``min_pv`` PV and, when ``kind`` is given, of that order
    kind (e.g. ``subscription``). Two smaller orders do not make one."""

    min_pv: Volume
    kind: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,31}$")

    @model_validator(mode="after")
    def _positive(self) -> QualifyingOrder:
        if self.min_pv <= 0:
            raise ValueError("min_pv must be above 0")
        return self


class Activity(Strict):
    """Active (qualified) this period: status in ``statuses``, own PV >= ``min_pv`` and,
    when given, a ``qualifying_order``."""

    min_pv: Volume = 0
    statuses: tuple[Literal["active", "inactive", "terminated", "closed"], ...] = ("active",)
    qualifying_order: QualifyingOrder | None = None


class MaxLeg(Strict):
    """Volume with a max-leg rule: own PV plus each frontline leg's group volume,
    each leg counted at most ``max_leg_percent`` of ``requirement`` (or
    ``max_leg_volume``)."""

    requirement: Volume
    max_leg_percent: Rate | None = None
    max_leg_volume: Volume | None = None

    @model_validator(mode="after")
    def _one_cap(self) -> MaxLeg:
        if (self.max_leg_percent is None) == (self.max_leg_volume is None):
            raise ValueError("give exactly one of max_leg_percent or max_leg_volume")
        return self


class LegsWithRank(Strict):
    rank: str
    legs: int = Field(ge=1)


class RankConditions(Strict):
    pv: Volume | None = None
    group_volume: Volume | None = None
    max_leg: MaxLeg | None = None
    legs_with_rank: list[LegsWithRank] = Field(default_factory=list)
    active_personal: int | None = Field(default=None, ge=0)
    qualifying_order: QualifyingOrder | None = None


class Rank(Strict):
    name: str = Field(min_length=1, max_length=64)
    conditions: RankConditions = RankConditions()


class Change(Strict):
    """Parameters that change from a date: ``set`` maps plan paths to new values."""

    effective_from: date
    set: dict[str, Any] = Field(min_length=1)
    reason: str = ""


class Plan(Strict):
    plan: Metadata
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    rounding: RoundingRule = RoundingRule.HALF_UP
    period: Literal["month", "week"] = "month"
    volumes: Volumes = Volumes()
    activity: Activity = Activity()
    ranks: list[Rank] = Field(default_factory=list)
    rank_basis: Literal["paid_as", "highest"] = "paid_as"  # which rank bonuses read
    bonuses: list[BonusConfig] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    disclosure: DisclosureSettings = DisclosureSettings()
    compliance: ComplianceSettings = ComplianceSettings()

    def rank_index(self, name: str | None) -> int:
        """1-based position of a rank (0 = no rank); raises KeyError when unknown."""
        if name is None:
            return 0
        for i, rank in enumerate(self.ranks):
            if rank.name == name:
                return i + 1
        raise KeyError(name)

    def rank_name(self, index: int) -> str | None:
        return self.ranks[index - 1].name if index > 0 else None

    def bonus(self, bonus_id: str) -> BonusBase:
        for bonus in self.bonuses:
            if bonus.id == bonus_id:
                return bonus
        raise KeyError(bonus_id)

    @property
    def pays_on_products(self) -> bool:
        """A bonus is limited to some products: evaluation needs the lines by product."""
        return any(bonus.paid_on is not None for bonus in self.bonuses)

    @property
    def names_order_kinds(self) -> bool:
        """A qualifying order names a kind: evaluation needs each order's kind."""
        conditions = [self.activity.qualifying_order]
        conditions += [rank.conditions.qualifying_order for rank in self.ranks]
        conditions += [getattr(b, "receiver_qualifying_order", None) for b in self.bonuses]
        return any(c is not None and c.kind is not None for c in conditions)


_built_for: tuple[str, ...] | None = None
_build_lock = threading.Lock()


def plan_model() -> type[Plan]:
    """``Plan`` with ``bonuses`` typed by every registered kind (rebuilt when the
    registered kinds change, e.g. a package adds one after the first plan was read)."""
    global _built_for
    kinds = tuple(bonus_models())
    if _built_for != kinds:
        with _build_lock:  # threads reading their first plan at once: one rebuilds
            if _built_for != kinds:
                field = Plan.model_fields["bonuses"]
                field.annotation = list[bonus_union()]  # type: ignore[assignment,misc]
                Plan.model_rebuild(force=True, _types_namespace={"BonusConfig": bonus_union()})
                _built_for = kinds
    return Plan

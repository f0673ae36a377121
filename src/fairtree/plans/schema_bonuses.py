"""The bonus kinds of the plan language; one model per kind, chosen by ``kind``.

Every model forbids unknown keys. A kind's *semantics* live in its engine module
(fairtree/engine/kinds/); these models are the language every kind shares, so the
plan file reads the same whichever kinds a company uses.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairtree.plans.values import Amount, Rate, Volume

VolumeName = Literal["pv", "bv"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BonusBase(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    description: str = ""
    min_rank: str | None = None  # a receiver below this paid-as rank is paid nothing

    def depends_on(self) -> tuple[str, ...]:
        """Ids of bonuses whose pay this bonus reads (evaluated first)."""
        return ()


class Unilevel(BonusBase):
    """Rate per sponsor-tree level on the buyer's volume."""

    kind: Literal["unilevel"]
    volume: VolumeName = "bv"
    rates: list[Rate] = Field(min_length=1)
    depth_by_rank: dict[str, int] | None = None  # levels paid, by receiver paid-as rank
    compression: Literal["none", "dynamic"] = "dynamic"
    # dynamic compression: what a skipped (inactive) member's own volume does
    compressed_volume: Literal["roll_up", "breakage"] = "roll_up"


class Bracket(Strict):
    min_volume: Volume
    rate: Rate


class Breakaway(Strict):
    """When a leg leaves its sponsor's group, and the overrides paid on it.

    A member (not a root) breaks away when it holds ``rank`` (the pay rank) and/or,
    when ``group_volume`` is given, is active with its own group PV (after its own
    breakaways left) at or above it. Give at least one; both must hold when both
    are given.
    """

    rank: str | None = None
    group_volume: Volume | None = None
    generation_rates: list[Rate] = Field(default_factory=list)  # override on gen 1, 2, ...
    generation_min_rank: str | None = None  # receiver rank needed to earn overrides
    # generations paid, by receiver rank (highest listed rank <= own); None: all
    generations_by_rank: dict[str, int] | None = None

    @model_validator(mode="after")
    def _some_condition(self) -> Breakaway:
        if self.rank is None and self.group_volume is None:
            raise ValueError("give rank, group_volume or both")
        return self


class Stairstep(BonusBase):
    """Differential: pct(own group volume) x group volume minus the same for each leg."""

    kind: Literal["stairstep"]
    volume: VolumeName = "bv"
    brackets: list[Bracket] = Field(min_length=1)
    breakaway: Breakaway | None = None


class BinaryPairs(Strict):
    pair_volume: Volume  # volume on each side that makes one pair
    pair_amount: Amount  # paid per pair
    first_pair: Literal["1:1", "2:1"] = "1:1"
    # 2:1 applies to the member's first pair ever (carried as "<id>.first_pair") or
    # to the first pair of every period
    first_pair_scope: Literal["ever", "period"] = "ever"

    @model_validator(mode="after")
    def _positive_pair(self) -> BinaryPairs:
        if self.pair_volume <= 0:
            raise ValueError("pair_volume must be above 0")
        return self


class BinaryCarry(Strict):
    enabled: bool = True
    max_carry: Volume | None = None  # carry per side above this is flushed
    flush_if_inactive: bool = True
    flush_weaker_side: bool = False  # a paid member's weaker-side remainder is flushed


class Binary(BonusBase):
    """Weak-leg pay on the placement tree with carry-forward."""

    kind: Literal["binary"]
    volume: VolumeName = "bv"
    weak_leg_rate: Rate | None = None
    pairs: BinaryPairs | None = None
    carry: BinaryCarry = BinaryCarry()
    cap: Amount | None = None  # per period, for every member (None: no cap)
    cap_by_rank: dict[str, Amount] = Field(default_factory=dict)  # per period, overrides cap
    requires_active_legs: int = Field(default=0, ge=0, le=2)  # personally sponsored L/R

    @model_validator(mode="after")
    def _one_pay_rule(self) -> Binary:
        if (self.weak_leg_rate is None) == (self.pairs is None):
            raise ValueError("give exactly one of weak_leg_rate or pairs")
        return self


class Matrix(BonusBase):
    """Levels of a forced width x depth placement matrix."""

    kind: Literal["matrix"]
    volume: VolumeName = "bv"
    width: int = Field(ge=1, le=100)
    rates: list[Rate] = Field(min_length=1)  # one per matrix level (the depth)
    compression: Literal["none", "dynamic"] = "none"  # dynamic: skip inactive placements
    compressed_volume: Literal["roll_up", "breakage"] = "roll_up"


class Matching(BonusBase):
    """Second stage: a rate per generation on the pay others earned in ``of`` bonuses."""

    kind: Literal["matching"]
    of: list[str] = Field(min_length=1)
    rates: list[Rate] = Field(min_length=1)  # generation 1, 2, ...
    generations_by_rank: dict[str, int] | None = None
    compression: Literal["none", "dynamic"] = "dynamic"  # skip inactive members

    def depends_on(self) -> tuple[str, ...]:
        return tuple(self.of)


class FastStart(BonusBase):
    """A rate on a new member's orders in their first ``days`` days, to levels up."""

    kind: Literal["fast_start"]
    volume: VolumeName = "bv"
    days: int = Field(ge=1, le=366)
    rates: list[Rate] = Field(min_length=1)  # enroller, then levels above
    receiver_min_pv: Volume = 0
    receiver_needs_own_order: bool = False


class LeadershipPool(BonusBase):
    """A share of company-wide volume split by shares per paid-as rank."""

    kind: Literal["leadership_pool"]
    volume: VolumeName = "bv"
    percent: Rate
    shares: dict[str, int] = Field(min_length=1)  # rank -> shares each holder gets


class HostTier(Strict):
    """A party sales tier: the host's reward and, optionally, the consultant's rate."""

    min_sales: Amount
    reward_percent: Rate
    consultant_rate: Rate | None = None  # None: the bonus's flat consultant_rate


class PartyPlan(BonusBase):
    """Consultant commission on party sales and host rewards by sales tier."""

    kind: Literal["party"]
    consultant_rate: Rate
    host_tiers: list[HostTier] = Field(default_factory=list)


class RetailProfit(BonusBase):
    """Retail price minus member price on customer orders: reported, not paid."""

    kind: Literal["retail_profit"]
    paid_by_company: Literal[False] = False


Bonus = Annotated[
    Unilevel
    | Stairstep
    | Binary
    | Matrix
    | Matching
    | FastStart
    | LeadershipPool
    | PartyPlan
    | RetailProfit,
    Field(discriminator="kind"),
]

BONUS_KINDS = (
    "unilevel",
    "stairstep",
    "binary",
    "matrix",
    "matching",
    "fast_start",
    "leadership_pool",
    "party",
    "retail_profit",
)

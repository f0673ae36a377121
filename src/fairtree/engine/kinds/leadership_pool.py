"""Leadership pool: ``percent`` of the company's period volume, split among active
members by shares per rank (``shares``; a rank not listed takes the shares of the
highest listed rank below it, ranks below every listed one take none).

Each holder gets pool x own shares / all shares, rounded *down*: a pool is never
overpaid, and the cents left over (or the whole pool when nobody qualifies) are
breakage. Rounding down per holder also keeps the split blind to member numbering.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Literal

import numpy as np
from pydantic import Field

from fairtree.engine.context import Context, volume_pay
from fairtree.engine.reference import ReferenceContext
from fairtree.engine.registry import register
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import Contribution, TraceLine, trace_line
from fairtree.plans.bonus_kinds import BonusBase, VolumeName
from fairtree.plans.values import Rate


class LeadershipPool(BonusBase):
    """A share of company-wide volume split by shares per paid-as rank."""

    kind: Literal["leadership_pool"]
    volume: VolumeName = "bv"
    percent: Rate
    shares: dict[str, int] = Field(min_length=1)  # rank -> shares each holder gets


def _shares(ctx: Context, config: LeadershipPool) -> np.ndarray:
    shares = ctx.by_rank(config.shares, 0)
    return np.where(ctx.active & ctx.rank_at_least(config.min_rank), shares, 0)


def _pool(ctx: Context, config: LeadershipPool) -> int:
    company = int(ctx.volume(config.volume).sum())
    return int(volume_pay(np.array([config.percent * company]), ctx.plan.currency, ctx.rounding)[0])


@register(LeadershipPool)
class LeadershipPoolKind:
    @staticmethod
    def evaluate(ctx: Context, config: LeadershipPool) -> BonusOutcome:
        pool = _pool(ctx, config)
        shares = _shares(ctx, config)
        total = int(shares.sum())
        pay = np.zeros(ctx.size, dtype=np.int64) if total == 0 else (pool * shares) // total
        return BonusOutcome(pay=pay, pool=pool)

    @staticmethod
    def reference(ref: ReferenceContext, config: LeadershipPool) -> BonusOutcome:
        company = sum(ref.volume(config.volume))
        pool = ref.round(ref.rate(config.percent) * ref.points(company))
        shares = [
            ref.by_rank(m, config.shares, 0)
            if ref.active[m] and ref.rank_at_least(m, config.min_rank)
            else 0
            for m in range(ref.size)
        ]
        total = sum(shares)
        pay = [
            int((Decimal(pool) * s / total).to_integral_value(ROUND_DOWN)) if total else 0
            for s in shares
        ]
        return BonusOutcome(pay=np.array(pay, dtype=np.int64), pool=pool)

    @staticmethod
    def explain(
        ctx: Context, config: LeadershipPool, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        shares = _shares(ctx, config)
        if shares[member] == 0:
            return []
        pool, total = _pool(ctx, config), int(shares.sum())
        company = int(ctx.volume(config.volume).sum())
        return [
            trace_line(
                ctx,
                config,
                outcome,
                member,
                exact=f"{pool} x {int(shares[member])} / {total} minor units",
                rounding="down",
                rule=f"pool of {pool} minor units shared by {total} share(s), "
                f"{int(shares[member])} held here",
                contributions=(
                    Contribution(
                        source="company",
                        level=0,
                        base=company,
                        rate=config.percent,
                        paid=True,
                        note=f"{int(shares[member])} of {total} shares",
                    ),
                ),
            )
        ]

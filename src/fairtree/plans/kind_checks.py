"""Checks of stairstep, party and retail-profit parameters that a schema cannot state.

Each returns nothing and reports through ``bad(location, field, reason)``, so a plan
file lists every problem at once (see ``validation.check_plan``).
"""

from __future__ import annotations

from collections.abc import Callable

from fairtree.money import currency_exponent
from fairtree.plans.schema_bonuses import Bonus, PartyPlan, RetailProfit, Stairstep

Report = Callable[[str, str, str], None]


def check_kind_parameters(
    bonus: Bonus, where: str, currency: str, ranks: list[str], bad: Report
) -> None:
    if isinstance(bonus, Stairstep):
        _stairstep(bonus, where, ranks, bad)
    elif isinstance(bonus, PartyPlan):
        _party(bonus, where, currency, bad)
    elif isinstance(bonus, RetailProfit) and bonus.min_rank is not None:
        bad(
            f"{where}.min_rank",
            "min_rank",
            "retail profit is the member's own margin, not paid by the company: "
            "it takes no rank condition",
        )


def _stairstep(bonus: Stairstep, where: str, ranks: list[str], bad: Report) -> None:
    """Brackets go up in volume and never down in rate, so no differential is negative."""
    for i in range(1, len(bonus.brackets)):
        lower, upper = bonus.brackets[i - 1], bonus.brackets[i]
        if upper.min_volume <= lower.min_volume:
            bad(
                f"{where}.brackets[{i}].min_volume",
                "min_volume",
                "brackets must be listed by strictly increasing min_volume",
            )
        if upper.rate < lower.rate:
            bad(
                f"{where}.brackets[{i}].rate",
                "rate",
                "a higher bracket must not pay a lower rate (the differential would go negative)",
            )
    breakaway = bonus.breakaway
    if breakaway is None:
        return
    if breakaway.generation_min_rank and not breakaway.generation_rates:
        bad(
            f"{where}.breakaway.generation_min_rank",
            "generation_min_rank",
            "names a rank for overrides but generation_rates is empty",
        )
    generations = len(breakaway.generation_rates)
    for name, value in (breakaway.generations_by_rank or {}).items():
        location = f"{where}.breakaway.generations_by_rank.{name}"
        if name not in ranks:
            bad(
                location,
                "generations_by_rank",
                f"unknown rank {name!r} (ranks: {', '.join(ranks)})",
            )
        if not 0 <= value <= generations:
            bad(location, "generations_by_rank", f"must be 0..{generations}")


def _party(bonus: PartyPlan, where: str, currency: str, bad: Report) -> None:
    exponent = currency_exponent(currency)
    for i, tier in enumerate(bonus.host_tiers):
        scaled = tier.min_sales.scaleb(exponent)
        if scaled != scaled.to_integral_value():
            bad(
                f"{where}.host_tiers[{i}].min_sales",
                "min_sales",
                f"{tier.min_sales} has more than {exponent} decimals for {currency}",
            )
        if i > 0 and tier.min_sales <= bonus.host_tiers[i - 1].min_sales:
            bad(
                f"{where}.host_tiers[{i}].min_sales",
                "min_sales",
                "host tiers must be listed by strictly increasing min_sales",
            )

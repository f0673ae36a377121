"""The words of the statement, defined on the statement itself."""

from __future__ import annotations

from fairtree.money import format_points


def definitions(currency: str, min_pv: int, months: int) -> dict[str, str]:
    """Every term the statement uses, in the order a reader meets them."""
    return {
        "participant": (
            "Everyone who was a member at any time in the range, including those who "
            "joined or left during it, those who were never active and those paid "
            "nothing; also anyone a finalized run of the range paid after they left."
        ),
        "range": (
            f"The {months} finalized commission period(s) listed under runs. Months of "
            "the requested range that are not finalized yet are not counted; figures are "
            "what people actually received over the covered months, never a month "
            "multiplied up."
        ),
        "gross pay": (
            f"Everything the finalized runs of the range paid the participant, in "
            f"{currency}: commissions and bonuses, plus adjustments (clawbacks are "
            "negative). Members paid in another currency received it converted at the "
            "run's stored exchange rate, listed under runs."
        ),
        "own purchases": (
            "What the participant paid for their own orders counting in the range, "
            "returns subtracted, including orders a plan requires or rewards to stay "
            f"active. Orders in other currencies are converted into {currency} at the "
            "stored rate of the run whose period they count in. Retail margin is not "
            "recorded by the company and is not added."
        ),
        "net pay": (
            "Gross pay minus own purchases. It is negative when someone spent more than "
            "they were paid."
        ),
        "paid nothing": "Gross pay of 0 or less over the range.",
        "median": (
            "The pay of the participant in the middle when everyone is lined up by pay "
            "(nearest rank: the lower middle one for an even count). Half received this "
            "or less."
        ),
        "mean": (
            "All pay divided by the number of people in the group it is shown for; a "
            "few large amounts pull it far above what a typical participant received, "
            "so it is always shown beside the median."
        ),
        "percentile": (
            "The pay at or below which that percentage of participants fall (nearest rank)."
        ),
        "active": (
            f"A month in which the participant's own volume, as the finalized run recorded "
            f"it, reached the plan's activity minimum of {format_points(min_pv)} points. "
            "Everyone is counted whether active or not."
        ),
        "highest rank": (
            "The highest rank the plan recorded for the participant in any run of the range."
        ),
        "buyer-only member": (
            "A participant who sponsored nobody, has no recorded retail customer and was "
            "paid nothing: most likely joined to buy at member price. Shown as their own "
            "group and counted in every figure."
        ),
        "top 1% / top 10%": (
            "The best-paid 1% (10%) of participants by gross pay; their share is of all "
            "positive gross pay."
        ),
        "Gini": (
            "0 when everyone is paid the same, 1 when one participant receives everything "
            "(negative pay counts as 0)."
        ),
        "retention": (
            "Of everyone who joined in a calendar year, how many were still members on the "
            "first day of the month 12 (24) months after their joining month, and how many "
            "also bought for themselves in that month. Shown for cohorts whose mark falls "
            "in the range; members who left are counted in their cohort."
        ),
        "top-earner persistence": (
            "Of the top 1% (10%) of the equally long range just before (all paid more than "
            "nothing, ties at the line included), how many are in the top 1% (10%) again."
        ),
    }

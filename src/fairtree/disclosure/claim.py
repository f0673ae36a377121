"""Checking an earnings claim ("earn 1,000 a month") against what people actually made.

A monthly claim is checked month by month against real months: of all the months
participants were members in the range, in how many did they receive at least the
amount, and how many participants reached it in at least one month. A yearly claim is
checked against each participant's actual total over the range. No monthly figure is
multiplied into a yearly one, or the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np

from fairtree.disclosure.figures import share

Per = Literal["month", "year"]


@dataclass(frozen=True)
class MonthlyPay:
    """Pay and own purchases per (participant row, month index) where either is non-zero,
    and how many months of the range each participant was a member."""

    row: np.ndarray  # int64 participant row
    month: np.ndarray  # int64 month index
    gross_pay: np.ndarray  # int64 minor units
    purchases: np.ndarray  # int64 minor units
    member_months: np.ndarray  # int64, one per participant


@dataclass(frozen=True)
class ClaimCheck:
    amount: int
    per: str
    participants: int
    population: str
    reached_gross: int
    reached_gross_share: Decimal
    reached_net: int
    reached_net_share: Decimal
    member_months: int  # monthly claims: the months checked
    months_reached_gross: int
    months_reached_gross_share: Decimal
    months_reached_net: int
    months_reached_net_share: Decimal
    note: str
    currency: str = ""
    covered_from: str = ""  # the finalized months checked: [from, to)
    covered_to: str = ""


def check_yearly(amount: int, gross: np.ndarray, purchases: np.ndarray, months: int) -> ClaimCheck:
    count = int(gross.size)
    reached_gross = int(np.count_nonzero(gross >= amount))
    reached_net = int(np.count_nonzero(gross - purchases >= amount))
    note = (
        "Each participant's actual total over the range."
        if months == 12
        else f"The range covers {months} finalized month(s), not 12: each participant's "
        "actual total over those months, not scaled to a year."
    )
    return ClaimCheck(
        amount=amount,
        per="year",
        participants=count,
        population="every participant: all members at any time in the range",
        reached_gross=reached_gross,
        reached_gross_share=share(reached_gross, count),
        reached_net=reached_net,
        reached_net_share=share(reached_net, count),
        member_months=0,
        months_reached_gross=0,
        months_reached_gross_share=share(0, 1),
        months_reached_net=0,
        months_reached_net_share=share(0, 1),
        note=note,
    )


def check_monthly(amount: int, participants: int, monthly: MonthlyPay) -> ClaimCheck:
    """Months in which a participant received at least ``amount``, gross and net.

    With a positive amount, a month with no pay and no purchase never reaches it, so the
    sparse rows are enough; the denominator is every member-month of the range.
    """
    if amount <= 0:
        raise ValueError("the amount of a claim must be more than 0")
    gross_hit = monthly.gross_pay >= amount
    net_hit = monthly.gross_pay - monthly.purchases >= amount
    member_months = int(monthly.member_months.sum(dtype=np.int64))
    months_gross = int(np.count_nonzero(gross_hit))
    months_net = int(np.count_nonzero(net_hit))
    people_gross = int(np.unique(monthly.row[gross_hit]).size)
    people_net = int(np.unique(monthly.row[net_hit]).size)
    return ClaimCheck(
        amount=amount,
        per="month",
        participants=participants,
        population="every participant: all members at any time in the range",
        reached_gross=people_gross,
        reached_gross_share=share(people_gross, participants),
        reached_net=people_net,
        reached_net_share=share(people_net, participants),
        member_months=member_months,
        months_reached_gross=months_gross,
        months_reached_gross_share=share(months_gross, member_months),
        months_reached_net=months_net,
        months_reached_net_share=share(months_net, member_months),
        note=(
            "Participants who reached the amount in at least one month, and the share of "
            "all months members spent in the range in which they reached it."
        ),
    )

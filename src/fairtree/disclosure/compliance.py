"""Compliance monitors for one period, per member and for the company.

Each monitor compares a figure with a line from the plan's ``compliance`` settings and,
where the line is crossed, raises a flag that carries its reason and the figures behind
it. Where the records cannot tell (the 70% rule), the monitor says so instead of
guessing. Pure over arrays: one row per member of the period, subtree sums by preorder.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from fairtree.disclosure.figures import share
from fairtree.genealogy.tree import Tree
from fairtree.plans.schema_disclosure import ComplianceSettings
from fairtree.plans.values import RATE_SCALE

SEVENTY_PERCENT_RULE = (
    "The 70% rule (reorder only after 70% of earlier purchases were sold or used) cannot "
    "be checked from these records: fairtree records what a member bought and what they "
    "sold to recorded customers, but not what they used themselves or sold outside the "
    "system. Inventory loading below compares purchases with a personal-use allowance "
    "plus recorded resales, which is the nearest figure the records support."
)


@dataclass(frozen=True)
class PeriodFacts:
    """One row per member of the period (in any order); money in minor units."""

    member_ids: np.ndarray  # object: external ids, for the flags
    tree: Tree  # sponsor tree over these rows (input index = row)
    own_purchases: np.ndarray  # int64: own orders in the period, net of returns
    customer_sales: np.ndarray  # int64: orders of the member's recorded customers
    retail_customers: np.ndarray  # int64: distinct customers who bought in the period
    buyer_only: np.ndarray  # bool: sponsored nobody and has no recorded customer
    pay: np.ndarray  # int64: the period's finalized pay
    recruiting_pay: np.ndarray  # int64: of which from recruiting-triggered bonuses
    window_purchases: np.ndarray  # int64: own purchases over the inventory window
    window_resales: np.ndarray  # int64: customer sales over the inventory window
    window_months: np.ndarray  # int64: months of the window the member was a member
    late_volume: np.ndarray  # int64: own PV dated in the last days of the period
    period_volume: np.ndarray  # int64: own PV in the period
    paid_as_rank: np.ndarray  # int64
    previous_paid_as_rank: np.ndarray  # int64 (0 when no previous run)
    year_pay: np.ndarray  # int64: pay over the 12 months ending with the period
    year_purchases: np.ndarray  # int64: own purchases over the same months


@dataclass(frozen=True)
class Flag:
    """A company-wide flag: its reason and the figures behind it, as text."""

    monitor: str
    reason: str
    figures: dict[str, str]


@dataclass(frozen=True)
class MemberFlags:
    """Every member one monitor flagged, as columns: ids and the figures behind each.

    ``kinds`` says how to print each figure column: ``amount`` (minor units),
    ``points`` (hundredths) or ``count``.
    """

    monitor: str
    reason: str
    member_ids: np.ndarray
    figures: dict[str, np.ndarray]
    kinds: dict[str, str]

    @property
    def count(self) -> int:
        return int(self.member_ids.size)


@dataclass(frozen=True)
class CompanyFigures:
    members: int
    total_sales: int
    non_participant_sales: int
    non_participant_share: Decimal
    total_pay: int
    recruiting_pay: int
    recruiting_pay_share: Decimal
    paid_members: int
    paid_below_customer_minimum: int
    lost_money_last_12_months: int
    lost_money_last_12_months_share: Decimal


@dataclass(frozen=True)
class ComplianceReport:
    period: str
    currency: str
    run_id: int
    settings: dict[str, str]
    company: CompanyFigures
    company_flags: list[Flag]
    member_flags: list[MemberFlags]
    cannot_tell: list[str]


def _rate(value: int) -> Decimal:
    return Decimal(value) / RATE_SCALE


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.01'))}%"


def non_participant_sales(facts: PeriodFacts, settings: ComplianceSettings) -> np.ndarray:
    """Per member, the sales that count as sales to non-participants under the settings."""
    classes = settings.sale_classes
    outside = np.zeros_like(facts.own_purchases)
    if classes.retail_customer == "non_participant":
        outside = outside + facts.customer_sales
    if classes.buyer_only_member == "non_participant":
        outside = outside + np.where(facts.buyer_only, facts.own_purchases, 0)
    return outside


def _flagged(
    monitor: str,
    reason: str,
    mask: np.ndarray,
    facts: PeriodFacts,
    **columns: tuple[str, np.ndarray],
) -> MemberFlags:
    rows = np.flatnonzero(mask)
    return MemberFlags(
        monitor=monitor,
        reason=reason,
        member_ids=facts.member_ids[rows],
        figures={name: values[rows] for name, (_, values) in columns.items()},
        kinds={name: kind for name, (kind, _) in columns.items()},
    )


def monitor(
    period: str,
    currency: str,
    run_id: int,
    facts: PeriodFacts,
    settings: ComplianceSettings,
    exponent: int,
    format_amount: object,
) -> ComplianceReport:
    fmt = format_amount if callable(format_amount) else str
    tree = facts.tree
    sales = facts.own_purchases + facts.customer_sales
    outside = non_participant_sales(facts, settings)

    # Vemma: a member and their downline, non-participant share of revenue.
    pre_sales = np.zeros(tree.size, dtype=np.int64)
    pre_outside = np.zeros(tree.size, dtype=np.int64)
    pre_sales[tree.position] = sales
    pre_outside[tree.position] = outside
    team_sales = tree.subtree_sum(pre_sales)[tree.position]
    team_outside = tree.subtree_sum(pre_outside)[tree.position]
    line = settings.member_min_customer_share
    paid = facts.pay > 0
    vemma = (team_sales > 0) & (team_outside * RATE_SCALE <= team_sales * line) & paid
    few = paid & (facts.retail_customers < settings.min_retail_customers)
    allowance_minor = int(settings.personal_use_per_month * (10**exponent))
    allowance = facts.window_months * allowance_minor
    loading = facts.window_purchases > allowance + facts.window_resales
    late_line = settings.qualification_min_volume_share
    late = (
        (facts.late_volume > 0)
        & (facts.late_volume * RATE_SCALE >= facts.period_volume * late_line)
        & (facts.paid_as_rank > facts.previous_paid_as_rank)
    )
    recruit_line = settings.max_recruiting_pay_share
    recruiting = paid & (facts.recruiting_pay * RATE_SCALE > facts.pay * recruit_line)
    lost = facts.year_purchases > facts.year_pay
    member_flags = [
        _flagged(
            "customer_share",
            f"{_pct(_rate(line))} or less of the revenue of the member and their downline "
            "came from non-participants in the period, and the member was paid "
            "(Vemma order, 2016)",
            vemma,
            facts,
            team_sales=("amount", team_sales),
            team_non_participant_sales=("amount", team_outside),
            pay=("amount", facts.pay),
        ),
        _flagged(
            "retail_customers",
            f"paid in the period with fewer than {settings.min_retail_customers} retail "
            "customers (Amway 10-customer rule)",
            few,
            facts,
            retail_customers=("count", facts.retail_customers),
            pay=("amount", facts.pay),
        ),
        _flagged(
            "inventory_loading",
            f"own purchases over the last {settings.inventory_window_months} month(s) exceed "
            f"a personal-use allowance of {fmt(allowance_minor)} a month plus recorded resales",
            loading,
            facts,
            purchases=("amount", facts.window_purchases),
            personal_use_allowance=("amount", allowance),
            recorded_resales=("amount", facts.window_resales),
        ),
        _flagged(
            "qualification_buying",
            f"at least {_pct(_rate(late_line))} of the period's own volume was bought in its "
            f"last {settings.qualification_window_days} day(s), and the paid-as rank rose",
            late,
            facts,
            late_volume=("points", facts.late_volume),
            period_volume=("points", facts.period_volume),
            paid_as_rank=("count", facts.paid_as_rank),
            previous_paid_as_rank=("count", facts.previous_paid_as_rank),
        ),
        _flagged(
            "recruiting_pay",
            f"more than {_pct(_rate(recruit_line))} of the member's pay came from "
            "recruiting-triggered bonuses",
            recruiting,
            facts,
            recruiting_pay=("amount", facts.recruiting_pay),
            pay=("amount", facts.pay),
        ),
        _flagged(
            "lost_money",
            "own purchases over the last 12 months exceeded pay over the same months",
            lost,
            facts,
            purchases=("amount", facts.year_purchases),
            pay=("amount", facts.year_pay),
        ),
    ]

    members = int(facts.pay.size)
    total_sales = int(sales.sum(dtype=np.int64))
    total_outside = int(outside.sum(dtype=np.int64))
    total_pay = int(facts.pay.sum(dtype=np.int64))
    recruiting_total = int(facts.recruiting_pay.sum(dtype=np.int64))
    company = CompanyFigures(
        members=members,
        total_sales=total_sales,
        non_participant_sales=total_outside,
        non_participant_share=share(total_outside, total_sales),
        total_pay=total_pay,
        recruiting_pay=recruiting_total,
        recruiting_pay_share=share(recruiting_total, total_pay),
        paid_members=int(paid.sum()),
        paid_below_customer_minimum=int(few.sum()),
        lost_money_last_12_months=int(lost.sum()),
        lost_money_last_12_months_share=share(int(lost.sum()), members),
    )
    company_flags = []
    company_line = settings.company_min_customer_share
    if total_sales > 0 and total_outside * RATE_SCALE < total_sales * company_line:
        company_flags.append(
            Flag(
                "company_customer_share",
                f"under {_pct(_rate(company_line))} of the company's sales went to "
                "non-participants (Herbalife order, 2016)",
                {
                    "total_sales": fmt(total_sales),
                    "non_participant_sales": fmt(total_outside),
                    "non_participant_share": str(company.non_participant_share),
                },
            )
        )
    if total_pay > 0 and recruiting_total * RATE_SCALE > total_pay * recruit_line:
        company_flags.append(
            Flag(
                "company_recruiting_pay",
                f"more than {_pct(_rate(recruit_line))} of all pay came from "
                "recruiting-triggered bonuses",
                {
                    "recruiting_pay": fmt(recruiting_total),
                    "total_pay": fmt(total_pay),
                    "recruiting_pay_share": str(company.recruiting_pay_share),
                },
            )
        )
    return ComplianceReport(
        period=period,
        currency=currency,
        run_id=run_id,
        settings=settings_text(settings),
        company=company,
        company_flags=company_flags,
        member_flags=member_flags,
        cannot_tell=[SEVENTY_PERCENT_RULE, RECRUITING_LIMIT],
    )


RECRUITING_LIMIT = (
    "Recruiting-triggered pay counts the bonuses the plan pays for enrolment (fast start, "
    "and any bonus named in compliance.recruiting_bonuses). Level commissions paid on a "
    "new member's first orders are not separated from those on later orders."
)


def settings_text(settings: ComplianceSettings) -> dict[str, str]:
    """Every setting as text, so the report shows the lines it applied."""
    dumped = settings.model_dump(mode="json")
    flat: dict[str, str] = {}
    for key, value in dumped.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                flat[f"{key}.{sub}"] = str(inner)
        else:
            flat[key] = str(value)
    return flat

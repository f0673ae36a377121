"""The income disclosure statement, computed over everyone who was a participant.

Input is one row per participant (every member at any time in the range, zero earners
and leavers included) with their gross pay and own purchases over the whole range;
nothing is annualised from a month. Output is a plain tree of figures in the order a
reader must meet them: how many took part, how many were paid nothing, the median
(gross and net of purchases), and only then the spread, brackets and top shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

import numpy as np

from fairtree.disclosure import figures
from fairtree.disclosure.cohorts import Persistence, Retention

PERCENTILES = (10, 25, 50, 75, 90, 99)


@dataclass(frozen=True)
class Participants:
    """One row per participant; money in minor units of the statement currency."""

    member_db_ids: np.ndarray  # int64, ascending
    gross_pay: np.ndarray  # int64: commissions and adjustments of finalized runs in the range
    purchases: np.ndarray  # int64: own orders net of returns, converted at the runs' rates
    months_active: np.ndarray  # int64
    highest_rank: np.ndarray  # int64, 0 = no rank
    buyer_only: np.ndarray  # bool: sponsored nobody, sold to no customer, paid nothing


@dataclass(frozen=True)
class Group:
    """Figures over one group of participants: gross beside net, median beside mean."""

    label: str
    participants: int
    share_of_participants: Decimal
    paid_nothing: int
    median_gross_pay: int
    median_net_pay: int
    mean_gross_pay: int
    mean_net_pay: int
    median_purchases: int
    purchases_exceeded_pay: int


@dataclass(frozen=True)
class Percentile:
    percent: int
    gross_pay: int
    net_pay: int


@dataclass(frozen=True)
class RunUsed:
    run_id: int
    period: str
    plan_sha256: str
    rates: dict[str, str]


@dataclass(frozen=True)
class Statement:
    company: str
    currency: str
    starts_on: date
    ends_on: date  # exclusive
    months: list[str]
    months_not_finalized: list[str]
    participants: int
    paid_nothing: int
    paid_nothing_share: Decimal
    median_gross_pay: int
    median_net_pay: int
    mean_gross_pay: int
    mean_net_pay: int
    total_gross_pay: int
    total_purchases: int
    median_purchases: int
    purchases_exceeded_pay: int
    purchases_exceeded_pay_share: Decimal
    median_months_active: int
    percentiles: list[Percentile]
    brackets: list[Group]
    by_rank: list[Group]
    groups: list[Group]  # business participants and buyer-only members
    top_1_percent_pay_share: Decimal
    top_10_percent_pay_share: Decimal
    gini: Decimal
    lorenz: list[figures.LorenzPoint]
    retention: list[Retention]
    top_earner_persistence: Persistence | None
    runs: list[RunUsed]
    definitions: dict[str, str] = field(default_factory=dict)


def group_figures(label: str, gross: np.ndarray, purchases: np.ndarray, everyone: int) -> Group:
    """One group's figures; ``everyone`` is the size of the whole population."""
    net = gross - purchases
    return Group(
        label=label,
        participants=int(gross.size),
        share_of_participants=figures.share(int(gross.size), everyone),
        paid_nothing=int(np.count_nonzero(gross <= 0)),
        median_gross_pay=figures.median_minor(figures.sorted_copy(gross)),
        median_net_pay=figures.median_minor(figures.sorted_copy(net)),
        mean_gross_pay=figures.mean_minor(gross),
        mean_net_pay=figures.mean_minor(net),
        median_purchases=figures.median_minor(figures.sorted_copy(purchases)),
        purchases_exceeded_pay=int(np.count_nonzero(purchases > gross)),
    )


def bracket_edges_minor(edges: list[Decimal], exponent: int) -> list[int]:
    return [int(edge * (10**exponent)) for edge in edges]


def bracket_labels(edges_minor: list[int], format_amount: object) -> list[str]:
    fmt = format_amount if callable(format_amount) else str
    labels = ["Paid nothing (0 or less)", f"More than 0, under {fmt(edges_minor[0])}"]
    for low, high in pairwise(edges_minor):
        labels.append(f"{fmt(low)} to under {fmt(high)}")
    labels.append(f"{fmt(edges_minor[-1])} or more")
    return labels


def brackets(people: Participants, edges_minor: list[int], labels: list[str]) -> list[Group]:
    """Gross pay brackets, lowest first: nothing, then each edge upwards."""
    gross, purchases = people.gross_pay, people.purchases
    which = np.where(gross <= 0, 0, 1 + np.searchsorted(np.asarray(edges_minor), gross, "right"))
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(len(labels) + 1))
    result = []
    for index, label in enumerate(labels):
        rows = order[bounds[index] : bounds[index + 1]]
        result.append(group_figures(label, gross[rows], purchases[rows], gross.size))
    return result


def by_rank(people: Participants, rank_names: list[str]) -> list[Group]:
    """Figures by highest rank reached, no rank first."""
    names = ["No rank", *rank_names]
    rank = np.clip(people.highest_rank, 0, len(names) - 1)
    order = np.argsort(rank, kind="stable")
    bounds = np.searchsorted(rank[order], np.arange(len(names) + 1))
    result = []
    for index, name in enumerate(names):
        rows = order[bounds[index] : bounds[index + 1]]
        if rows.size:
            result.append(
                group_figures(name, people.gross_pay[rows], people.purchases[rows], rank.size)
            )
    return result


@dataclass(frozen=True)
class StatementFrame:
    """What the statement is about, beside the participants' figures."""

    company: str
    currency: str
    exponent: int
    starts_on: date
    ends_on: date
    months: list[str]
    months_not_finalized: list[str]
    rank_names: list[str]
    bracket_edges: list[Decimal]
    runs: list[RunUsed]
    definitions: dict[str, str]


def compute_statement(
    frame: StatementFrame,
    people: Participants,
    retention: list[Retention],
    persistence: Persistence | None,
    format_amount: object,
) -> Statement:
    gross, purchases = people.gross_pay, people.purchases
    net = gross - purchases
    count = int(gross.size)
    sorted_gross, sorted_net = figures.sorted_copy(gross), figures.sorted_copy(net)
    paid_nothing = int(np.count_nonzero(gross <= 0))
    exceeded = int(np.count_nonzero(purchases > gross))
    edges = bracket_edges_minor(frame.bracket_edges, frame.exponent)
    buyer_only = people.buyer_only
    return Statement(
        company=frame.company,
        currency=frame.currency,
        starts_on=frame.starts_on,
        ends_on=frame.ends_on,
        months=frame.months,
        months_not_finalized=frame.months_not_finalized,
        participants=count,
        paid_nothing=paid_nothing,
        paid_nothing_share=figures.share(paid_nothing, count),
        median_gross_pay=figures.median_minor(sorted_gross),
        median_net_pay=figures.median_minor(sorted_net),
        mean_gross_pay=figures.mean_minor(gross),
        mean_net_pay=figures.mean_minor(net),
        total_gross_pay=int(gross.sum(dtype=np.int64)),
        total_purchases=int(purchases.sum(dtype=np.int64)),
        median_purchases=figures.median_minor(figures.sorted_copy(purchases)),
        purchases_exceeded_pay=exceeded,
        purchases_exceeded_pay_share=figures.share(exceeded, count),
        median_months_active=figures.median_minor(figures.sorted_copy(people.months_active)),
        percentiles=[
            Percentile(
                p, figures.nearest_rank(sorted_gross, p), figures.nearest_rank(sorted_net, p)
            )
            for p in PERCENTILES
        ],
        brackets=brackets(people, edges, bracket_labels(edges, format_amount)),
        by_rank=by_rank(people, frame.rank_names),
        groups=[
            group_figures(
                "Business participants", gross[~buyer_only], purchases[~buyer_only], count
            ),
            group_figures("Buyer-only members", gross[buyer_only], purchases[buyer_only], count),
        ],
        top_1_percent_pay_share=figures.top_share(sorted_gross, 1),
        top_10_percent_pay_share=figures.top_share(sorted_gross, 10),
        gini=figures.gini(sorted_gross),
        lorenz=figures.lorenz(sorted_gross),
        retention=retention,
        top_earner_persistence=persistence,
        runs=frame.runs,
        definitions=frame.definitions,
    )

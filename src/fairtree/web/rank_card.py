"""The rank report card as a page shows it: each condition of the next rank with what the
member has, what it needs and what is missing, from the live progress the close's rules
compute (``services.orders.rank_progress``); formatting only, no rule of its own."""

from __future__ import annotations

from dataclasses import dataclass

from fairtree.engine.rank_progress import Need
from fairtree.services.network.ranks import RankEntry
from fairtree.services.orders.rank_progress import MemberProgress
from fairtree.web.formatting import percent, points

COUNTED_IN_MEMBERS = ("active_personal",)
LABELS = {
    "active_pv": "Personal volume to be active",
    "pv": "Personal volume (PV)",
    "group_volume": "Group volume (GV)",
    "max_leg_volume": "Group volume counted within the leg cap",
    "active_personal": "Active personally sponsored members",
}


@dataclass(frozen=True)
class CardLine:
    condition: str
    label: str
    have: str
    need: str
    missing: str | None  # None: met, or only the close can tell
    percent: int
    met: bool | None


@dataclass(frozen=True)
class RankCard:
    live_rank: str | None  # what this period's figures reach so far
    next_rank: str | None
    paid_as: str | None  # in the last closed period
    highest: str | None  # highest ever achieved
    closed_period: str | None
    pv: str
    gv: str
    lines: list[CardLine]


def _label(condition: str) -> str:
    if condition.startswith("legs_with_"):
        return f"Frontline legs with a {condition.removeprefix('legs_with_')} or above"
    return LABELS.get(condition, condition.replace("_", " "))


def _quantity(condition: str, value: int) -> str:
    counted = condition in COUNTED_IN_MEMBERS or condition.startswith("legs_with_")
    return f"{value:,}" if counted else points(value)


def _line(need: Need) -> CardLine:
    have = "counted at the close" if need.have is None else _quantity(need.condition, need.have)
    missing = None
    if need.missing:
        missing = _quantity(need.condition, need.missing)
    share = 0 if need.have is None else percent(need.have, need.need)
    return CardLine(
        need.condition,
        _label(need.condition),
        have,
        _quantity(need.condition, need.need),
        missing,
        share,
        need.met,
    )


def rank_card(progress: MemberProgress, history: list[RankEntry]) -> RankCard:
    last = history[-1] if history else None
    highest = next((e.highest for e in reversed(history) if e.highest), None)
    return RankCard(
        live_rank=progress.progress.rank,
        next_rank=progress.progress.next_rank,
        paid_as=last.paid_as if last else None,
        highest=highest,
        closed_period=last.period_key if last else None,
        pv=points(progress.pv),
        gv=points(progress.group_volume),
        lines=[_line(n) for n in progress.progress.needs],
    )

"""Trace lines: how one member's pay in one bonus was derived, for people to read."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fairtree.money import format_amount, format_points
from fairtree.plans.bonus_kinds import BonusBase
from fairtree.plans.values import format_rate

if TYPE_CHECKING:
    from fairtree.engine.context import Context
    from fairtree.engine.result import BonusOutcome


def _labeller(names: Mapping[str, str] | None) -> Callable[[str], str]:
    """``id`` alone, or ``Display Name (id)`` for a member in ``names``."""
    if not names:
        return lambda member_id: member_id
    return lambda member_id: (
        f"{names[member_id]} ({member_id})"
        if names.get(member_id, member_id) != member_id
        else member_id
    )


@dataclass(frozen=True)
class Contribution:
    """One source feeding a line: a member's volume (or pay) at a level, at a rate."""

    source: str  # member id whose volume (or pay) is the base
    level: int  # level / generation counted after compression (0 when not levelled)
    base: int  # hundredths of a point, or minor units when base_is_money
    rate: int  # RATE_SCALE units
    paid: bool
    base_is_money: bool = False
    orders: tuple[str, ...] = ()  # order ids behind a volume base
    skipped: tuple[str, ...] = ()  # members compressed away between source and receiver
    note: str = ""  # why not paid, or what rule applied

    def describe(self, currency: str, names: Mapping[str, str] | None = None) -> str:
        """One line of text; ``names`` gives display names to show beside member ids
        (the members the reader may see by name), other members show their id only."""
        return self._text(currency, _labeller(names), {})

    def _text(self, currency: str, label: Callable[[str], str], memo: dict[object, str]) -> str:
        """The line, with ``label`` naming members and ``memo`` keeping the texts of
        bases and rates already formatted (a top earner's trace repeats a few of them
        over hundreds of thousands of contributions)."""
        key = (self.base, self.base_is_money)
        base = memo.get(key)
        if base is None:
            base = memo[key] = (
                format_amount(self.base, currency) + f" {currency}"
                if self.base_is_money
                else format_points(self.base) + " points"
            )
        rate = memo.get(self.rate)
        if rate is None:
            rate = memo[self.rate] = format_rate(self.rate)
        text = f"level {self.level}: {label(self.source)} {base} x {rate}"
        if self.skipped:
            text += f" (compressed past {', '.join(map(label, self.skipped))})"
        if self.orders:
            text += f" [orders {', '.join(self.orders)}]"
        if not self.paid:
            text += f" -> not paid: {self.note}"
        elif self.note:
            text += f" ({self.note})"
        return text


HEAD_LINES = 3  # a trace's first lines: bonus and amount, rule, rank


@dataclass(frozen=True)
class TraceLine:
    """A payout line with its derivation; ``amount`` equals the evaluated pay."""

    bonus_id: str
    kind: str
    member: str
    amount: int  # minor units, after rounding
    exact: str  # the unrounded amount as a decimal string in the currency
    rounding: str  # the rule that turned ``exact`` into ``amount``
    rank: str | None  # the rank the bonus read
    rule: str  # plain words: which rule of the plan applied
    contributions: tuple[Contribution, ...] = field(default_factory=tuple)

    def line_count(self) -> int:
        """How many lines ``describe`` writes: three of heading, one per contribution,
        and the exact amount."""
        return HEAD_LINES + len(self.contributions) + 1

    def _window(self, lines: slice | None) -> tuple[int, int]:
        start, stop, stride = (lines or slice(None)).indices(self.line_count())
        if stride != 1:
            raise ValueError("a part of an explanation is a run of consecutive lines")
        return start, max(start, stop)

    def member_ids(self, lines: slice | None = None) -> set[str]:
        """Every member the explanation names (the receiver, sources, compressed
        members), or the members ``lines`` of it (a slice of ``describe``) name."""
        start, stop = self._window(lines)
        ids = {self.member} if start == 0 < stop else set()
        for contribution in self.contributions[
            max(start - HEAD_LINES, 0) : max(stop - HEAD_LINES, 0)
        ]:
            ids.add(contribution.source)
            ids.update(contribution.skipped)
        return ids

    def describe(
        self, currency: str, names: Mapping[str, str] | None = None, lines: slice | None = None
    ) -> list[str]:
        """The explanation's lines, or only ``lines`` of them (a page of a trace that
        can run to hundreds of thousands of contributions): the same text either way."""
        start, stop = self._window(lines)
        label = _labeller(names)
        text: list[str] = []
        if start < HEAD_LINES:
            head = (
                f"{self.bonus_id} ({self.kind}) for {label(self.member)}: "
                f"{format_amount(self.amount, currency)} {currency}"
            )
            text += [head, f"  rule: {self.rule}", f"  rank: {self.rank or 'none'}"][start:stop]
        memo: dict[object, str] = {}
        shown = self.contributions[max(start - HEAD_LINES, 0) : max(stop - HEAD_LINES, 0)]
        text += [f"  {c._text(currency, label, memo)}" for c in shown]
        if start < self.line_count() <= stop:
            text.append(f"  exact {self.exact} {currency}, rounded {self.rounding}")
        return text


def trace_line(
    ctx: Context,
    config: BonusBase,
    outcome: BonusOutcome,
    member: int,
    *,
    exact: str,
    rule: str,
    contributions: Iterable[Contribution] = (),
    rounding: str | None = None,
) -> TraceLine:
    """One member's line of one bonus (``member`` a preorder position): the amount is
    the evaluated pay, the rank the one the bonus read, the rounding the plan's unless
    the kind says otherwise."""
    return TraceLine(
        bonus_id=config.id,
        kind=config.kind,
        member=str(ctx.inputs.members.ids[ctx.tree.order[member]]),
        amount=int(outcome.pay[member]),
        exact=exact,
        rounding=ctx.rounding.value if rounding is None else rounding,
        rank=ctx.plan.rank_name(int(ctx.pay_rank[member])),
        rule=rule,
        contributions=tuple(contributions),
    )

"""A member's own pay: statements of a period's run and live rank progress.

Both are the member's business (data kind ``pay``): an upline sees volumes and ranks in
the team view, never another member's statement or what they still need.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from fairtree.api.deps import DbSession, ReadSession, Reason, SignedIn
from fairtree.api.params import InputDate, MemberId, PeriodKey
from fairtree.engine.rank_progress import Need
from fairtree.errors import Problem, ValidationError
from fairtree.money import format_amount, format_points
from fairtree.periods import Period
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.clock import utcnow
from fairtree.services.commissions import statements
from fairtree.services.orders.rank_progress import line_progress

router = APIRouter(prefix="/members/{member_id}", tags=["pay"])

COUNT_CONDITIONS = frozenset({"active_personal"})  # counted in members, not volume points


class NeedOut(BaseModel):
    condition: str
    have: str | None  # None when only the period's close can tell
    need: str
    missing: str | None


class RankProgressOut(BaseModel):
    member_id: str
    period: str
    pv: str
    group_volume: str
    rank: str | None
    held: str | None  # paid as in the last finalized period
    next_rank: str | None
    needs: list[NeedOut]


class StatementLineOut(BaseModel):
    bonus_id: str
    kind: str
    amount: str
    reference: str
    explanation: list[str]
    corrects_period: str | None
    reason: str | None


class StatementOut(BaseModel):
    period: str
    member_id: str
    display_name: str
    currency: str
    total: str
    owed: str
    owed_back: str
    lines: list[StatementLineOut]
    notes: list[str]


def _quantity(condition: str, value: int) -> str:
    return str(value) if condition in COUNT_CONDITIONS else format_points(value)


def _need_out(need: Need) -> NeedOut:
    have, missing = need.have, need.missing
    return NeedOut(
        condition=need.condition,
        have=None if have is None else _quantity(need.condition, have),
        need=_quantity(need.condition, need.need),
        missing=None if missing is None else _quantity(need.condition, missing),
    )


@router.get("/rank-progress", response_model=RankProgressOut)
def read_rank_progress(
    member_id: MemberId,
    principal: SignedIn,
    session: DbSession,
    reason: Reason,
    on: Annotated[InputDate | None, Query(description="default: today")] = None,
) -> RankProgressOut:
    """Live figures of the period containing ``on`` (today by default) and what the next
    rank still needs."""
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.PAY, record="rank-progress", reason=reason)
    day = on or utcnow().date()
    (own,) = line_progress(session, owner.member_id, day, upline=False)
    return RankProgressOut(
        member_id=own.member_id,
        period=Period.containing(day).key,
        pv=format_points(own.pv),
        group_volume=format_points(own.group_volume),
        rank=own.progress.rank,
        held=own.progress.held,
        next_rank=own.progress.next_rank,
        needs=[_need_out(n) for n in own.progress.needs],
    )


def _statement(
    session: DbSession,
    reader: ReadSession,
    principal: SignedIn,
    member_id: str,
    period_key: str,
    reason: str | None,
    explain: bool = True,
) -> statements.Statement:
    """Authorized (and the read logged) on the primary; explained on ``reader``, a read
    replica when one is configured (FAIRTREE_READ_DATABASE_URL)."""
    owner = owner_member(session, member_id)
    try:
        key = Period.parse(period_key).key
    except ValueError as error:  # e.g. 2026-02-30..2026-03-01: the right shape, no such day
        raise ValidationError([Problem("path", "period_key", "period_key", str(error))]) from None
    authorize(session, principal, owner, DataKind.PAY, record=f"statement:{key}", reason=reason)
    return statements.member_statement(
        reader, key, owner.member_id, explain=explain, viewer=principal, log_session=session
    )


@router.get("/statements/{period_key}", response_model=StatementOut)
def read_statement(
    member_id: MemberId,
    period_key: PeriodKey,
    principal: SignedIn,
    session: DbSession,
    reader: ReadSession,
    reason: Reason,
) -> StatementOut:
    """Every line of the member's pay for a period, each with its explanation; members it
    names show their display name beside the id where the reader may see them."""
    statement = _statement(session, reader, principal, member_id, period_key, reason)
    money = statement.currency
    return StatementOut(
        period=statement.period_key,
        member_id=statement.member_id,
        display_name=statement.display_name,
        currency=money,
        total=format_amount(statement.total, money),
        owed=format_amount(statement.owed, money),
        owed_back=format_amount(statement.carried_claw, money),
        lines=[
            StatementLineOut(
                bonus_id=line.bonus_id,
                kind=line.kind,
                amount=format_amount(line.amount, money),
                reference=line.reference,
                explanation=line.explanation,
                corrects_period=line.corrects_period,
                reason=line.reason,
            )
            for line in statement.lines
        ],
        notes=statement.notes,
    )


@router.get("/statements/{period_key}/csv", response_class=PlainTextResponse)
def read_statement_csv(
    member_id: MemberId,
    period_key: PeriodKey,
    principal: SignedIn,
    session: DbSession,
    reader: ReadSession,
    reason: Reason,
) -> PlainTextResponse:
    """The same statement as CSV, one row per line."""
    statement = _statement(session, reader, principal, member_id, period_key, reason, False)
    return PlainTextResponse(statements.render_csv(statement), media_type="text/csv")

"""The team view: display name, rank (when known) and PV/GV for a period, nothing else."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fairtree.api.deps import DbSession, SignedIn
from fairtree.api.params import Limit, MemberId, Offset
from fairtree.api.schemas import TeamMemberOut, TeamOut
from fairtree.errors import Problem, ValidationError
from fairtree.money import format_points
from fairtree.periods import Period
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.network.team import team_view

router = APIRouter(prefix="/members/{member_id}", tags=["team"])

PeriodKey = Annotated[
    str,
    Query(
        min_length=4,
        max_length=32,
        description="period key: 2026-03, 2026-W09 or 2026-03-01..2026-03-15",
    ),
]


def _period(key: str) -> Period:
    try:
        return Period.parse(key)
    except (ValueError, ValidationError) as exc:
        raise ValidationError([Problem("request", "period", "period", str(exc))]) from None


@router.get("/team", response_model=TeamOut)
def read_team(
    member_id: MemberId,
    period: PeriodKey,
    principal: SignedIn,
    session: DbSession,
    depth: Annotated[int, Query(ge=0, le=50)] = 3,
    limit: Limit = 100,
    offset: Offset = 0,
) -> TeamOut:
    """The member's downline to ``depth`` levels, with PV and GV (GV over the whole
    subtree) in ``period``. Each member shown is recorded in their access log."""
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.TEAM, record="team", log=False)
    page = team_view(session, principal, owner, _period(period), depth, limit, offset)
    return TeamOut(
        member_id=owner.member_id,
        period=page.period,
        total=page.total,
        members=[
            TeamMemberOut(
                member_id=row.member_id,
                display_name=row.display_name,
                depth=row.depth,
                rank=row.rank,
                pv=format_points(row.pv),
                gv=format_points(row.gv),
            )
            for row in page.rows
        ],
    )

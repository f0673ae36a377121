"""The member's own goals, with progress computed from their own data.

A goal is a target the member set for themselves: personal volume, number of retail
customers, or retail sales, by a date. Nobody else can create, change or see a goal
(unless the member grants a read). Progress is measured, never typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.money import format_amount, format_points, parse_amount, parse_points
from fairtree.services.clock import utcnow
from fairtree.services.network.period_volumes import member_pv_between
from fairtree.store.models import Goal, Member
from fairtree.store.models.notes_goals import GOAL_METRICS
from fairtree.store.repositories.member_data import own_records

METRIC_LABELS = {
    "personal_volume": "personal volume (points)",
    "retail_customers": "retail customers",
    "retail_sales": "retail sales",
}


@dataclass(frozen=True)
class GoalProgress:
    id: int
    title: str
    metric: str
    starts_on: date
    due_on: date
    target: str  # formatted in the metric's unit
    current: str
    percent: str  # of the target reached, one decimal, capped at nothing (may pass 100)
    status: str  # achieved, in_progress, missed
    days_left: int


def parse_target(metric: str, text: str, currency: str) -> int:
    """The target in the metric's stored unit (points hundredths, count, minor units)."""
    if metric == "personal_volume":
        return parse_points(text)
    if metric == "retail_sales":
        return parse_amount(text, currency)
    if not text.strip().isdigit():
        raise ValueError(f"{text!r} is not a whole number")
    if len(text.strip()) > 18:
        raise ValueError(f"{text!r} is too large")
    return int(text.strip())


def _format(metric: str, value: int, currency: str) -> str:
    if metric == "personal_volume":
        return format_points(value)
    if metric == "retail_sales":
        return format_amount(value, currency)
    return str(value)


def add_goal(
    session: Session,
    owner: Member,
    title: str,
    metric: str,
    target: str,
    starts_on: date,
    due_on: date,
) -> GoalProgress:
    problems = []
    if not title.strip() or len(title) > 200:
        problems.append(Problem("goal", "new", "title", "must be 1 to 200 characters"))
    if metric not in GOAL_METRICS:
        problems.append(
            Problem("goal", "new", "metric", f"must be one of {', '.join(GOAL_METRICS)}")
        )
    if due_on < starts_on:
        problems.append(Problem("goal", "new", "due_on", "is before starts_on"))
    stored_target = 0
    if metric in GOAL_METRICS:
        try:
            stored_target = parse_target(metric, target, owner.currency)
        except ValueError as error:
            problems.append(Problem("goal", "new", "target", str(error)))
        else:
            if stored_target <= 0:
                problems.append(Problem("goal", "new", "target", "must be above zero"))
    if problems:
        raise ValidationError(problems)
    goal = Goal(
        owner_member_id=owner.id,
        title=title.strip(),
        metric=metric,
        target=stored_target,
        starts_on=starts_on,
        due_on=due_on,
        created_at=utcnow(),
    )
    session.add(goal)
    session.flush()
    return progress(session, owner, goal, utcnow().date())


def measure(session: Session, owner: Member, goal: Goal, today: date) -> int:
    """The goal's metric over [starts_on, min(due_on, today)], from the owner's data."""
    last_day = min(goal.due_on, today)
    if goal.metric == "retail_customers":
        return own_records.retail_customer_count(session, owner.id, last_day)
    end = last_day + timedelta(days=1)
    if goal.metric == "personal_volume":
        return member_pv_between(session, owner.id, goal.starts_on, end)
    return own_records.retail_sales(session, owner.id, owner.currency, goal.starts_on, end)


def progress(session: Session, owner: Member, goal: Goal, today: date) -> GoalProgress:
    current = measure(session, owner, goal, today)
    percent = (Decimal(current) * 100 / Decimal(goal.target)).quantize(Decimal("0.1"))
    if current >= goal.target:
        status = "achieved"
    elif today > goal.due_on:
        status = "missed"
    else:
        status = "in_progress"
    return GoalProgress(
        id=goal.id,
        title=goal.title,
        metric=goal.metric,
        starts_on=goal.starts_on,
        due_on=goal.due_on,
        target=_format(goal.metric, goal.target, owner.currency),
        current=_format(goal.metric, current, owner.currency),
        percent=str(percent),
        status=status,
        days_left=max((goal.due_on - today).days, 0),
    )


def list_goals(session: Session, owner: Member, today: date) -> list[GoalProgress]:
    return [progress(session, owner, g, today) for g in own_records.goals_of(session, owner.id)]


def get_goal(session: Session, owner: Member, goal_id: int, today: date) -> GoalProgress:
    goal = own_records.goal_of(session, owner.id, goal_id)
    if goal is None:
        raise NotFoundError(f"no such goal: {goal_id}")
    return progress(session, owner, goal, today)


def delete_goal(session: Session, owner: Member, goal_id: int) -> None:
    goal = own_records.goal_of(session, owner.id, goal_id)
    if goal is None:
        raise NotFoundError(f"no such goal: {goal_id}")
    session.delete(goal)
    session.flush()

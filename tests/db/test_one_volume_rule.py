"""One volume rule: for random networks and random mixes of members' orders, customers'
orders and returns (some posted in a later period than the order they reverse), every
surface that shows a volume (the team view behind the dashboard and team pages, the
downline report behind the tree views and ``fairtree tree``, live rank progress) shows
for every member the PV and GV the close's engine computes, under a plan that counts
PV from PV with customers' orders (March) and one that counts PV from BV without them
(April). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from fairtree.engine.evaluate import build_context
from fairtree.errors import ConflictError, ValidationError
from fairtree.periods import Period
from fairtree.services.access.principal import Principal
from fairtree.services.network import period_volumes
from fairtree.services.network.downline import DownlineNode, downline_report
from fairtree.services.network.team import team_view
from fairtree.services.orders.order_intake import NewLine, OrderRequest, post
from fairtree.services.orders.rank_progress import line_progress, plan_on
from fairtree.store.models import Member, User
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts
from tests.factories import CUSTOMERS, PRODUCTS, add_tiny_member, seed_intake

TODAY = date(2026, 11, 22)
PERIODS = (Period.parse("2026-03"), Period.parse("2026-04"))
FIXED = ("A", "B", "C", "D")
EXTRA = ("E", "F", "G", "H")

days = st.dates(min_value=date(2026, 3, 1), max_value=date(2026, 4, 30))
lines = st.lists(
    st.builds(NewLine, st.sampled_from(sorted(PRODUCTS)), st.integers(1, 3)),
    min_size=1,
    max_size=3,
)
buyers = st.sampled_from(FIXED + EXTRA)
member_orders = st.tuples(st.just("member"), buyers, days, lines)
customer_orders = st.tuples(st.just("customer"), st.sampled_from(sorted(CUSTOMERS)), days, lines)
returns = st.tuples(st.just("return"), st.integers(0, 20), st.integers(0, 45), st.none() | lines)
steps = st.lists(st.one_of(member_orders, customer_orders, returns), min_size=1, max_size=14)
# The sponsor of each extra member: an index into the members before it.
sponsors = st.tuples(*(st.integers(0, 3 + i) for i in range(len(EXTRA))))


def _add_members(session: Session, sponsor_picks: tuple[int, ...]) -> None:
    names = list(FIXED)
    for name, pick in zip(EXTRA, sponsor_picks, strict=True):
        add_tiny_member(session, name, names[pick])
        names.append(name)
    session.flush()


def _request(n: int, step: tuple, sent: list[OrderRequest]) -> OrderRequest | None:
    kind, who, when, wanted = step
    if kind == "member":
        return OrderRequest(f"O{n}", when, buyer_member_id=who, lines=tuple(wanted))
    if kind == "customer":
        return OrderRequest(f"O{n}", when, buyer_customer_id=who, lines=tuple(wanted))
    if not sent:
        return None
    earlier = sent[who % len(sent)]
    return OrderRequest(
        f"R{n}",
        earlier.placed_on + timedelta(days=when),
        kind="return",
        returns_order_id=earlier.order_id,
        lines=tuple(wanted or ()),
    )


def _engine_figures(session: Session, period: Period) -> dict[str, tuple[int, int]]:
    """member id -> (PV, GV) as the close computes them."""
    facts = load_period_facts(session, period, placement=False)
    ctx = build_context(facts.inputs, plan_on(session, period.start), period)
    ids = facts.inputs.members.ids[ctx.tree.order]
    return {
        str(member_id): (int(pv), int(gv))
        for member_id, pv, gv in zip(ids, ctx.pv, ctx.group_volume, strict=True)
    }


def _report_figures(node: DownlineNode) -> dict[str, tuple[int, int]]:
    found = {node.member_id: (node.personal_volume, node.group_volume)}
    for child in node.children:
        found.update(_report_figures(child))
    return found


def _reader(session: Session) -> Principal:
    staff = User(login="volume-reader", role="admin", password_hash="-")
    session.add(staff)
    session.flush()
    return Principal(staff.id, staff.login, "admin", None, None, "session", 0)


def test_every_surface_shows_the_close_volumes(session: Session) -> None:
    seed_intake(session)
    reader = _reader(session)
    top = session.query(Member).filter_by(member_id="A").one()
    checked = {"with_returns_across_periods": 0, "members": 0}

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(picks=sponsors, plan=steps)
    def run(picks: tuple[int, ...], plan: list[tuple]) -> None:
        example = session.begin_nested()
        try:
            _add_members(session, picks)
            sent: list[OrderRequest] = []
            for n, step in enumerate(plan):
                request = _request(n, step, sent)
                if request is None:
                    continue
                try:
                    post(session, request, TODAY)
                except (ValidationError, ConflictError):
                    continue
                sent.append(request)
                if request.kind == "return":
                    checked["with_returns_across_periods"] += int(
                        request.placed_on.month != _order_month(sent, request)
                    )
            for period in PERIODS:
                engine = _engine_figures(session, period)
                team = team_view(session, reader, top, period, 50, 500, 0)
                shown = {row.member_id: (row.pv, row.gv) for row in team.rows}
                assert shown == engine, ("team", period.key)
                with pytest.MonkeyPatch.context() as whole:  # a downline too big for its own
                    whole.setattr(period_volumes, "OWN_TOTALS_UP_TO", 0)
                    team = team_view(session, reader, top, period, 50, 500, 0)
                shown = {row.member_id: (row.pv, row.gv) for row in team.rows}
                assert shown == engine, ("team from the whole period's totals", period.key)
                report = _report_figures(downline_report(session, "A", period))
                assert report == engine, ("tree", period.key)
                for member_id, (pv, gv) in engine.items():
                    (live,) = line_progress(session, member_id, period.start, upline=False)
                    assert (live.pv, live.group_volume) == (pv, gv), ("progress", period.key)
                checked["members"] += len(engine)
        finally:
            example.rollback()

    run()
    assert checked["with_returns_across_periods"] > 0, checked
    assert checked["members"] > 0


def _order_month(sent: list[OrderRequest], request: OrderRequest) -> int:
    return next(r.placed_on.month for r in sent if r.order_id == request.returns_order_id)

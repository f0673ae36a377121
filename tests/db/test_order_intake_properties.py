"""Whatever mix of members' orders, customers' orders, returns, replays and refused
postings comes in, the running volumes kept live equal a rebuild from the stored orders,
in every period, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, ValidationError
from fairtree.services.orders.order_intake import NewLine, OrderRequest, post
from fairtree.services.orders.rank_progress import rebuild_period_volumes
from fairtree.store.models import Order
from fairtree.store.repositories.orders import running_volumes as volumes
from tests.factories import CUSTOMERS, PRODUCTS, seed_intake

TODAY = date(2026, 11, 22)
PERIODS = ("2026-03", "2026-04")
MEMBERS = ("A", "B", "C", "D")

days = st.dates(min_value=date(2026, 3, 1), max_value=date(2026, 4, 30))
lines = st.lists(
    st.builds(NewLine, st.sampled_from(sorted(PRODUCTS)), st.integers(1, 3)),
    min_size=1,
    max_size=3,
)
member_orders = st.tuples(st.just("member"), st.sampled_from(MEMBERS), days, lines)
customer_orders = st.tuples(st.just("customer"), st.sampled_from(sorted(CUSTOMERS)), days, lines)
# A return of the n-th posting so far, some days after it, of everything left or some lines.
returns = st.tuples(st.just("return"), st.integers(0, 20), st.integers(0, 40), st.none() | lines)
replays = st.tuples(st.just("replay"), st.integers(0, 20), st.none(), st.none())
steps = st.lists(st.one_of(member_orders, customer_orders, returns, replays), max_size=12)


def _request(n: int, step: tuple, sent: list[OrderRequest]) -> OrderRequest | None:
    kind, who, when, wanted = step
    if kind == "member":
        return OrderRequest(f"O{n}", when, buyer_member_id=who, lines=tuple(wanted))
    if kind == "customer":
        return OrderRequest(f"O{n}", when, buyer_customer_id=who, lines=tuple(wanted))
    if not sent:
        return None
    earlier = sent[who % len(sent)]
    if kind == "replay":
        return earlier
    return OrderRequest(
        f"R{n}",
        earlier.placed_on + timedelta(days=when),
        kind="return",
        returns_order_id=earlier.order_id,
        lines=tuple(wanted or ()),
    )


def _nonzero(session: Session, period: str) -> tuple[dict, dict]:
    rows = {m: v for m, v in volumes.period_rows(session, period).items() if any(v)}
    return rows, volumes.period_legs(session, period)


def test_live_volumes_equal_a_rebuild_after_any_mix_of_postings(session: Session) -> None:
    seed_intake(session)
    seen: Counter[str] = Counter()

    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(plan=steps)
    def run(plan: list[tuple]) -> None:
        example = session.begin_nested()
        try:
            sent: list[OrderRequest] = []
            stored = set()
            for n, step in enumerate(plan):
                request = _request(n, step, sent)
                if request is None:
                    continue
                try:
                    posted = post(session, request, TODAY)
                except (ValidationError, ConflictError):
                    seen["refused"] += 1
                    continue  # refused whole: nothing written, nothing counted
                seen[step[0] if posted.created else "replayed"] += 1
                sent.append(request)
                stored.add(request.order_id)
            assert session.scalar(select(func.count()).select_from(Order)) == len(stored)
            for period in PERIODS:
                live = _nonzero(session, period)
                rebuild_period_volumes(session, period)
                assert _nonzero(session, period) == live, period
        finally:
            example.rollback()

    run()
    # The mix really held every kind of posting.
    assert min(seen[k] for k in ("member", "customer", "return", "replayed", "refused")) > 0, seen

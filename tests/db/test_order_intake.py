"""Order intake: members' orders, customers' orders and returns are recorded with their
totals and counted live in the running volumes, as a rebuild from the orders counts them;
bad input is refused whole, and an order id posted again is a replay or a conflict."""

from __future__ import annotations

from datetime import date
from typing import cast

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, ValidationError
from fairtree.periods import Period
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.orders.order_intake import NewLine, OrderRequest, PostedOrder, post
from fairtree.services.orders.rank_progress import line_progress, rebuild_period_volumes
from fairtree.store.models import Order, OrderLine, PayoutLine, Product
from fairtree.store.repositories.bulk.engine_arrays import FactsRead, load_period_facts
from fairtree.store.repositories.orders import running_volumes as volumes
from tests.factories import member_db_id, seed_intake

MARCH = date(2026, 3, 10)
TODAY = date(2026, 11, 22)


@pytest.fixture
def company(session: Session) -> Session:
    seed_intake(session)
    return session


def order(
    session: Session, order_id: str, buyer: str, day: date = MARCH, **lines: int
) -> PostedOrder:
    request = OrderRequest(
        order_id, day, buyer_member_id=buyer, lines=tuple(NewLine(s, q) for s, q in lines.items())
    )
    return post(session, request, TODAY)


def customer_order(
    session: Session, order_id: str, customer: str, day: date = MARCH, **lines: int
) -> PostedOrder:
    request = OrderRequest(
        order_id,
        day,
        buyer_customer_id=customer,
        lines=tuple(NewLine(s, q) for s, q in lines.items()),
    )
    return post(session, request, TODAY)


def give_back(
    session: Session, order_id: str, original: str, day: date = MARCH, **lines: int
) -> PostedOrder:
    request = OrderRequest(
        order_id,
        day,
        kind="return",
        returns_order_id=original,
        lines=tuple(NewLine(s, q) for s, q in lines.items()),
    )
    return post(session, request, TODAY)


def figures(session: Session, member: str, period: str = "2026-03") -> tuple[int, int, int]:
    """(PV, group volume, active frontline) of a member, live."""
    rows = volumes.period_rows(session, period)
    return rows.get(member_db_id(session, member), (0, 0, 0))


def running(session: Session, period: str) -> tuple[dict, dict]:
    """A period's running rows and leg sums; a row of zeros reads as no row."""
    rows = {m: v for m, v in volumes.period_rows(session, period).items() if any(v)}
    return rows, volumes.period_legs(session, period)


def assert_live_equals_rebuild(session: Session, period: str) -> None:
    live = running(session, period)
    rebuild_period_volumes(session, period)
    assert running(session, period) == live


def count_orders(session: Session) -> int:
    return session.scalars(select(func.count()).select_from(Order)).one()


def test_a_members_order_is_priced_at_member_prices_and_counted_up_the_line(
    company: Session,
) -> None:
    posted = order(company, "O1", "D", Q=2, N=1)
    assert (posted.kind, posted.buyer_member_id, posted.credited_member_id) == ("order", "D", "D")
    assert (posted.period_key, posted.period_finalized, posted.created) == ("2026-03", False, True)
    assert [(x.sku, x.quantity, x.unit_price, x.pv) for x in posted.lines] == [
        ("Q", 2, 4000, 5000),
        ("N", 1, 300, 0),
    ]
    assert (posted.total_pv, posted.total_bv, posted.total_sales) == (10000, 8000, 8000)
    assert (posted.total_other_sales, posted.total_retail_margin) == (300, 0)
    assert [(p.member_id, p.pv, p.group_volume) for p in line_progress(company, "D", MARCH)] == [
        ("D", 10000, 10000),
        ("C", 0, 10000),
        ("B", 0, 10000),
        ("A", 0, 10000),
    ]
    assert figures(company, "C") == (0, 10000, 1)  # D is active (PV 100 >= 50)
    assert_live_equals_rebuild(company, "2026-03")


def test_a_customers_order_is_at_retail_prices_and_credited_to_the_owner(
    company: Session,
) -> None:
    posted = customer_order(company, "K1", "K", Q=1)
    assert (posted.buyer_member_id, posted.buyer_customer_id) == (None, "K")
    assert posted.credited_member_id == "C"
    assert [(x.unit_price, x.pv) for x in posted.lines] == [(5000, 5000)]
    assert (posted.total_sales, posted.total_retail_margin) == (5000, 1000)
    assert figures(company, "C") == (5000, 5000, 0)
    assert figures(company, "B") == (0, 5000, 1)  # C's own PV counts: C is active
    assert figures(company, "D") == (0, 0, 0)
    assert_live_equals_rebuild(company, "2026-03")


def test_the_periods_plan_decides_whether_customers_orders_count(company: Session) -> None:
    april = date(2026, 4, 3)
    stored = customer_order(company, "K4", "K", april, Q=1)
    assert (stored.total_pv, stored.total_retail_margin) == (5000, 1000)  # a fact all the same
    assert volumes.period_rows(company, "2026-04") == {}  # April's plan: customers' orders don't
    order(company, "C4", "C", april, Q=1)
    assert figures(company, "C", "2026-04") == (4000, 4000, 0)  # April's plan: PV from BV
    assert_live_equals_rebuild(company, "2026-04")


def test_a_return_in_an_open_period_is_subtracted_from_its_orders_period(
    company: Session,
) -> None:
    order(company, "O1", "D", Q=3)
    assert figures(company, "C") == (0, 15000, 1)
    first = give_back(company, "R1", "O1", date(2026, 4, 2), Q=1)
    assert (first.kind, first.returns_order_id, first.buyer_member_id) == ("return", "O1", "D")
    assert (first.period_key, first.period_finalized) == ("2026-03", False)
    assert (first.total_pv, first.total_sales) == (-5000, -4000)
    assert figures(company, "D") == (10000, 10000, 0)
    assert volumes.period_rows(company, "2026-04") == {}  # counts in its order's period
    rest = give_back(company, "R2", "O1", date(2026, 4, 3))  # everything left
    assert [(x.sku, x.quantity) for x in rest.lines] == [("Q", 2)]
    assert figures(company, "D") == (0, 0, 0)
    assert figures(company, "C") == (0, 0, 0)  # D no longer active
    (d, c, *_) = line_progress(company, "D", MARCH)
    assert (d.pv, d.progress.rank, c.group_volume) == (0, None, 0)
    assert_live_equals_rebuild(company, "2026-03")
    with pytest.raises(ValidationError) as caught:
        give_back(company, "R3", "O1", date(2026, 4, 4))
    assert [str(p) for p in caught.value.problems] == [
        "order:R3 [lines]: nothing of order O1 is left to return"
    ]


def test_returns_give_back_at_most_what_the_order_bought_at_its_prices(
    company: Session,
) -> None:
    order(company, "O1", "D", Q=2, S=1)
    give_back(company, "R1", "O1", Q=1)
    with pytest.raises(ValidationError) as caught:
        give_back(company, "R2", "O1", Q=2, N=1)
    assert [str(p) for p in caught.value.problems] == [
        "order:R2 line 1 [quantity]: returns more units of this product than the order bought"
        " (1 left to return)",
        "order:R2 line 2 [sku]: order O1 did not buy 'N'",
    ]
    assert count_orders(company) == 2
    # The catalogue changed since: a return gives back what the order charged and counted.
    company.execute(cast(Table, Product.__table__).update().values(member_price=1, pv=1))
    both = give_back(company, "R3", "O1", Q=1, S=1)
    assert [(x.sku, x.quantity, x.unit_price, x.pv) for x in both.lines] == [
        ("Q", 1, 4000, 5000),
        ("S", 1, 1200, 1000),
    ]
    assert figures(company, "D") == (0, 0, 0)
    assert_live_equals_rebuild(company, "2026-03")


def test_a_return_of_a_line_bought_twice_takes_the_lines_in_order(company: Session) -> None:
    request = OrderRequest(
        "O1", MARCH, buyer_member_id="D", lines=(NewLine("S", 2), NewLine("Q", 1), NewLine("S", 3))
    )
    post(company, request, TODAY)
    order_lines = cast(Table, OrderLine.__table__)
    company.execute(  # the third line was charged differently
        order_lines.update().where(OrderLine.line_no == 3).values(unit_price=1000)
    )
    give_back(company, "R1", "O1", S=1)
    second = give_back(company, "R2", "O1", S=3)
    assert [(x.line_no, x.quantity, x.unit_price) for x in second.lines] == [
        (1, 1, 1200),
        (2, 2, 1000),
    ]
    assert second.total_sales == -(1200 + 2000)


def test_a_return_into_a_finalized_period_is_corrected_at_the_next_close(
    session: Session,
) -> None:
    seed_intake(session, orders=True)
    rebuild_period_volumes(session, "2026-03")
    close_period(session, "2026-03")
    finalize_run(session, "2026-03")
    assert figures(session, "D") == (5000, 5000, 0)
    posted = give_back(session, "R-D", "O-D", date(2026, 4, 5))
    assert (posted.period_key, posted.period_finalized, posted.total_pv) == (
        "2026-03",
        True,
        -5000,
    )
    assert figures(session, "D") == (0, 0, 0)  # March's running figures follow the fact
    assert_live_equals_rebuild(session, "2026-03")
    april = close_period(session, "2026-04")
    assert april.adjustments > 0
    reasons = session.scalars(
        select(PayoutLine.reason).where(
            PayoutLine.kind == "adjustment", PayoutLine.corrects_period_key == "2026-03"
        )
    ).all()
    reasons = cast(list[str], reasons)  # an adjustment always has a reason
    assert reasons and all("R-D" in reason for reason in reasons)


def test_the_same_order_again_is_a_replay_and_counts_once(company: Session) -> None:
    first = order(company, "O1", "D", Q=1)
    again = order(company, "O1", "D", Q=1)
    assert (again.created, again.db_id, again.total_pv) == (False, first.db_id, first.total_pv)
    assert figures(company, "D") == (5000, 5000, 0)
    give_back(company, "R1", "O1")
    assert give_back(company, "R1", "O1").created is False  # "all that is left", again
    assert give_back(company, "R1", "O1", Q=1).created is False
    assert figures(company, "D") == (0, 0, 0)
    assert count_orders(company) == 2


def test_the_same_order_id_with_other_content_is_a_conflict(company: Session) -> None:
    order(company, "O1", "D", Q=1)
    with pytest.raises(ConflictError, match="different lines"):
        order(company, "O1", "D", Q=2)
    with pytest.raises(ConflictError, match="different placed_on, buyer_member_id"):
        order(company, "O1", "C", date(2026, 3, 11), Q=1)
    with pytest.raises(ConflictError, match="different kind, returns_order_id"):
        give_back(company, "O1", "O1")
    assert figures(company, "D") == (5000, 5000, 0)


def test_bad_orders_name_record_field_and_reason_and_write_nothing(company: Session) -> None:
    order(company, "O1", "D", Q=2)
    give_back(company, "R1", "O1", date(2026, 3, 12), Q=1)
    before = volumes.period_rows(company, "2026-03")
    bad = [
        OrderRequest("bad id!", MARCH, buyer_member_id="D", lines=(NewLine("Q", 1),)),
        OrderRequest("X1", MARCH, lines=(NewLine("Q", 1),)),
        OrderRequest("X2", MARCH, buyer_member_id="NOPE", lines=(NewLine("Q", 1),)),
        OrderRequest("X3", date(2025, 12, 31), buyer_member_id="D", lines=(NewLine("Q", 1),)),
        OrderRequest("X4", date(2026, 1, 31), buyer_customer_id="K", lines=(NewLine("Q", 1),)),
        OrderRequest("X5", date(2026, 11, 24), buyer_member_id="D", lines=(NewLine("Q", 1),)),
        OrderRequest("X6", MARCH, buyer_member_id="D"),
        OrderRequest("X7", MARCH, buyer_member_id="D", lines=(NewLine("Q", 1), NewLine("Z", 1))),
        OrderRequest("X8", MARCH, buyer_member_id="D", lines=(NewLine("Q", 1_000_001),)),
        OrderRequest("X9", MARCH, kind="Refund!", buyer_member_id="D", lines=(NewLine("Q", 1),)),
        OrderRequest("Y1", MARCH, buyer_member_id="D", returns_order_id="O1"),
        OrderRequest("Y2", MARCH, kind="return"),
        OrderRequest("Y3", MARCH, kind="return", returns_order_id="NOPE"),
        OrderRequest("Y4", MARCH, kind="return", returns_order_id="R1"),
        OrderRequest("Y5", date(2026, 3, 9), kind="return", returns_order_id="O1"),
        OrderRequest("Y6", MARCH, kind="return", returns_order_id="O1", buyer_member_id="C"),
    ]
    refused = []
    for request in bad:
        with pytest.raises(ValidationError) as caught:
            post(company, request, TODAY)
        refused += [str(p) for p in caught.value.problems]
    assert refused == [
        "order:bad id! [order_id]: id must be 1-64 characters of A-Z a-z 0-9 - _ .",
        "order:X1 [buyer_member_id]: exactly one of buyer_member_id, buyer_customer_id must be set",
        "order:X2 [buyer_member_id]: no member 'NOPE'",
        "order:X3 [placed_on]: order is dated before its buyer joined",
        "order:X4 [placed_on]: order is dated before its customer was created",
        "order:X5 [placed_on]: order is dated in the future",
        "order:X6 [lines]: an order needs at least one line",
        "order:X7 [lines]: the products are priced in more than one currency (CAD, USD)",
        "order:X8 line 1 [quantity]: must be at most 1000000",
        "order:X9 [kind]: kind must be order, return or an order kind"
        " (e.g. subscription: a-z, 0-9, _)",
        "order:Y1 [returns_order_id]: only a return names the order it reverses",
        "order:Y2 [returns_order_id]: a return must name the order it reverses",
        "order:Y3 [returns_order_id]: no order 'NOPE'",
        "order:Y4 [returns_order_id]: a return must reverse an order, not a return",
        "order:Y5 [placed_on]: a return is dated before the order it reverses",
        "order:Y6 [returns_order_id]: a return must have the same buyer as its order",
    ]
    assert count_orders(company) == 2
    assert volumes.period_rows(company, "2026-03") == before


def test_an_order_of_a_kind_is_stored_with_it_for_the_plans_that_ask(company: Session) -> None:
    request = OrderRequest(
        "S1", MARCH, kind="subscription", buyer_member_id="D", lines=(NewLine("Q", 1),)
    )
    posted = post(company, request, TODAY)
    assert (posted.kind, posted.total_pv) == ("subscription", 5000)
    stored = company.scalars(select(Order).where(Order.order_id == "S1")).one()
    assert (stored.kind, stored.order_kind) == ("order", "subscription")
    assert post(company, request, TODAY).created is False  # the same order again
    plain = OrderRequest("S1", MARCH, buyer_member_id="D", lines=(NewLine("Q", 1),))
    with pytest.raises(ConflictError, match="kind"):
        post(company, plain, TODAY)
    reads = FactsRead(order_kinds=True)
    facts = load_period_facts(company, Period.parse("2026-03"), reads=reads)
    assert facts.inputs.orders.kind is not None
    assert facts.inputs.orders.kind.tolist() == ["subscription"]

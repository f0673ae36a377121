"""Order intake: members' orders, retail customers' orders and returns, posted live.

Every new order comes in here (``POST /orders``, ``fairtree orders post``, the demo, the
benchmarks): it is checked against the rules the dataset import applies
(``dataset.orders``, the same words), recorded through
``store.repositories.orders.record_order`` (which derives the totals the close reads)
and, in the same transaction, its volume is added to the running volumes of the period
it counts in, exactly as ``rank_progress.rebuild_period_volumes`` counts it:

- a member's order: the member's country's member prices;
- a retail customer's order: the customer's country's retail prices, credited to the
  member who owns the customer; it counts in volumes only if the period's plan says so
  (``volumes.customer_orders``);
- a return: some or all of what an earlier order bought and no earlier return gave back,
  at the prices and volumes that order carried. It counts, negative, in the period of
  its order (``counts_on``); once that period is finalized, the next close corrects its
  pay (``services.corrections``).

Order ids are unique. The same id with the same content again is a replay: the stored
order comes back and nothing is counted twice; other content under a used id is a
conflict. Nothing is written when anything is wrong. Does not commit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.dataset import orders as rules
from fairtree.dataset.checks import ID_RULE
from fairtree.dataset.fields import ID_PATTERN
from fairtree.engine.context import statuses_allowed
from fairtree.engine.evaluate import counted_pv
from fairtree.engine.inputs import STATUS_CODES
from fairtree.engine.rank_progress import leg_caps
from fairtree.errors import ConflictError, NotFoundError, Problem, ValidationError
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.services.commissions.period_plan import period_finalized, period_of, plan_on
from fairtree.store.models import Customer, Member, Order, OrderLine, Product
from fairtree.store.repositories.network import members as members_repo
from fairtree.store.repositories.orders import orders as orders_repo
from fairtree.store.repositories.orders import running_volumes as volumes

# "order", "return", or the kind of order a plan may ask for (e.g. "subscription"),
# as in a dataset's orders.csv
ORDER_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_QUANTITY = 1_000_000  # units on one line
# An order dated tomorrow is accepted (the buyer's day may be ahead of UTC); later is not.
FUTURE_GRACE = timedelta(days=1)
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class NewLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class OrderRequest:
    """What a client posts. A return names the order it reverses and, optionally, the
    lines it gives back (none: everything still returnable); its buyer is its order's."""

    order_id: str
    placed_on: date
    kind: str = "order"
    buyer_member_id: str | None = None
    buyer_customer_id: str | None = None
    returns_order_id: str | None = None
    lines: tuple[NewLine, ...] = ()


@dataclass(frozen=True)
class PostedLine:
    line_no: int
    sku: str
    quantity: int
    unit_price: int  # minor units of the order's currency
    pv: int  # hundredths of a point per unit
    bv: int


@dataclass(frozen=True)
class PostedOrder:
    """The stored order with its signed totals and the period it counts in."""

    db_id: int
    order_id: str
    kind: str
    placed_on: date
    buyer_member_id: str | None
    buyer_customer_id: str | None
    credited_member_id: str
    returns_order_id: str | None
    country: str
    currency: str
    period_key: str
    period_finalized: bool  # its pay is corrected at the next close
    total_pv: int
    total_bv: int
    total_sales: int
    total_other_sales: int
    total_retail_margin: int
    lines: tuple[PostedLine, ...]
    created: bool  # False: this order was posted before with the same content


def post(session: Session, request: OrderRequest, today: date | None = None) -> PostedOrder:
    """Record the order and count its volume live, or return the order already posted."""
    order, created = record(session, request, today)
    return _posted(session, order, created)


def record(
    session: Session, request: OrderRequest, today: date | None = None
) -> tuple[Order, bool]:
    """``post`` without building the answer: the stored order, and whether it is new."""
    if request.kind == "return" and request.returns_order_id is not None:
        # Returns of one order wait for each other here, so each sees what the last gave back.
        orders_repo.find_order(session, request.returns_order_id, lock=True)
    existing = orders_repo.find_order(session, request.order_id)
    if existing is not None:
        _replay(session, existing, request)
        return existing, False
    order, lines, credited = _build(session, request, today or utcnow().date())
    try:
        with session.begin_nested():
            orders_repo.record_order(session, order, lines)
    except IntegrityError:  # the same id committed by a parallel request meanwhile
        existing = orders_repo.find_order(session, request.order_id)
        if existing is None:
            raise
        _replay(session, existing, request)
        return existing, False
    _count_volume(session, order, credited)
    return order, True


def post_recorded(
    session: Session, request: OrderRequest, actor: Principal | None, via: str
) -> PostedOrder:
    """``post`` from outside (the API, the CLI): who posted each new order is audited."""
    posted = post(session, request)
    if posted.created:
        record_action(
            session,
            actor,
            action="order_posted",
            subject_kind="order",
            subject_id=posted.order_id,
            reason=f"posted through {via}",
            after={
                "kind": posted.kind,
                "placed_on": posted.placed_on.isoformat(),
                "credited_member_id": posted.credited_member_id,
                "returns_order_id": posted.returns_order_id,
                "total_pv": posted.total_pv,
                "total_sales": posted.total_sales,
                "currency": posted.currency,
            },
        )
    return posted


def _problem(request: OrderRequest, field: str, reason: str, line: int | None = None) -> Problem:
    where = request.order_id if line is None else f"{request.order_id} line {line}"
    return Problem("order", where, field, reason)


def _build(
    session: Session, request: OrderRequest, today: date
) -> tuple[Order, list[OrderLine], Member]:
    problems = _header_problems(request, today)
    if problems:
        raise ValidationError(problems)
    if request.kind == "return":
        return _build_return(session, request)
    return _build_order(session, request)


def _header_problems(request: OrderRequest, today: date) -> list[Problem]:
    problems = []
    if not _ID.fullmatch(request.order_id):
        problems.append(_problem(request, "order_id", ID_RULE))
    if not ORDER_KIND.fullmatch(request.kind):
        reason = "kind must be order, return or an order kind (e.g. subscription: a-z, 0-9, _)"
        problems.append(_problem(request, "kind", reason))
    elif request.kind != "return" and request.returns_order_id is not None:
        problems.append(_problem(request, "returns_order_id", rules.ONLY_RETURNS_REVERSE))
    elif request.kind == "return" and request.returns_order_id is None:
        problems.append(_problem(request, "returns_order_id", rules.RETURN_NAMES_ORDER))
    if request.placed_on > today + FUTURE_GRACE:
        problems.append(_problem(request, "placed_on", "order is dated in the future"))
    return problems


def _build_order(session: Session, request: OrderRequest) -> tuple[Order, list[OrderLine], Member]:
    """A member's order at member prices, or a customer's at retail prices."""
    problems: list[Problem] = []
    member: Member | None = None
    customer: Customer | None = None
    if (request.buyer_member_id is None) == (request.buyer_customer_id is None):
        problems.append(_problem(request, "buyer_member_id", rules.ONE_BUYER))
    elif request.buyer_member_id is not None:
        member = members_repo.member_by_external_id(session, request.buyer_member_id)
        if member is None:
            reason = f"no member {request.buyer_member_id!r}"
            problems.append(_problem(request, "buyer_member_id", reason))
        elif request.placed_on < member.joined_on:
            problems.append(_problem(request, "placed_on", rules.BEFORE_JOINING))
    else:
        customer = orders_repo.customer_by_external_id(session, str(request.buyer_customer_id))
        if customer is None:
            reason = f"no customer {request.buyer_customer_id!r}"
            problems.append(_problem(request, "buyer_customer_id", reason))
        elif request.placed_on < customer.created_on:
            problems.append(_problem(request, "placed_on", rules.BEFORE_CUSTOMER))
    country = member.country if member else customer.country if customer else None
    products = (
        orders_repo.products_by_sku(session, {line.sku for line in request.lines}, country)
        if country is not None
        else {}
    )
    problems += _line_problems(request, products, country)
    if problems:
        raise ValidationError(problems)
    assert country is not None
    used = [products[line.sku] for line in request.lines]
    order = Order(
        order_id=request.order_id,
        kind="order",
        order_kind=None if request.kind == "order" else request.kind,
        placed_on=request.placed_on,
        buyer_member_id=member.id if member else None,
        buyer_customer_id=customer.id if customer else None,
        country=country,
        currency=used[0].currency,
    )
    lines = [
        OrderLine(
            line_no=number,
            product_id=product.id,
            quantity=line.quantity,
            unit_price=product.member_price if member else product.retail_price,
            pv=product.pv,
            bv=product.bv,
        )
        for number, (line, product) in enumerate(zip(request.lines, used, strict=True), start=1)
    ]
    if member is None:
        assert customer is not None
        member = members_repo.member_by_pk(session, customer.member_id)
        assert member is not None
    return order, lines, member


def _line_problems(
    request: OrderRequest, products: dict[str, Product], country: str | None
) -> list[Problem]:
    if not request.lines:
        return [_problem(request, "lines", "an order needs at least one line")]
    numbered = list(enumerate(request.lines, start=1))
    problems = [
        _problem(request, "sku", f"no product {line.sku!r} in {country}", n)
        for n, line in numbered
        if country is not None and line.sku not in products
    ]
    problems += _quantity_problems(request)
    currencies = sorted({products[x.sku].currency for x in request.lines if x.sku in products})
    if len(currencies) > 1:
        reason = f"the products are priced in more than one currency ({', '.join(currencies)})"
        problems.append(_problem(request, "lines", reason))
    return problems


def _quantity_problems(request: OrderRequest) -> list[Problem]:
    problems = []
    for n, line in enumerate(request.lines, start=1):
        if line.quantity <= 0:
            problems.append(_problem(request, "quantity", "must be greater than zero", n))
        elif line.quantity > MAX_QUANTITY:
            problems.append(_problem(request, "quantity", f"must be at most {MAX_QUANTITY}", n))
    return problems


def _build_return(session: Session, request: OrderRequest) -> tuple[Order, list[OrderLine], Member]:
    """Give back what an order bought and no earlier return gave back, at its prices."""
    original = orders_repo.find_order(session, str(request.returns_order_id))
    if original is None:
        reason = f"no order {request.returns_order_id!r}"
        raise ValidationError([_problem(request, "returns_order_id", reason)])
    if original.kind == "return":
        raise ValidationError([_problem(request, "returns_order_id", rules.RETURN_OF_RETURN)])
    problems = []
    member_id, customer_id, _, _ = orders_repo.external_ids(session, original.id)
    if (request.buyer_member_id is not None and request.buyer_member_id != member_id) or (
        request.buyer_customer_id is not None and request.buyer_customer_id != customer_id
    ):
        problems.append(_problem(request, "returns_order_id", rules.RETURN_OTHER_BUYER))
    if request.placed_on < original.placed_on:
        problems.append(_problem(request, "placed_on", rules.RETURN_BEFORE_ORDER))
    bought = orders_repo.lines_with_skus(session, original.id)
    given_back = orders_repo.returned_quantities(session, original.id)
    lines, line_problems = return_lines(request, bought, given_back)
    problems += line_problems
    if problems:
        raise ValidationError(problems)
    order = Order(
        order_id=request.order_id,
        kind="return",
        placed_on=request.placed_on,
        buyer_member_id=original.buyer_member_id,
        buyer_customer_id=original.buyer_customer_id,
        country=original.country,
        currency=original.currency,
        returns_order_id=original.id,
    )
    credited = members_repo.member_by_pk(session, original.credited_member_id)
    assert credited is not None
    return order, lines, credited


def return_lines(
    request: OrderRequest, bought: Sequence[tuple[OrderLine, str]], given_back: dict[int, int]
) -> tuple[list[OrderLine], list[Problem]]:
    """The lines of a return: units of the order's lines not yet given back.

    Per product, earlier returns (``given_back``: product id -> units) used up the
    order's lines first to last; this return takes from what is left in the same order,
    each piece at its line's price, PV and BV. No lines asked: everything left. The
    rule is the dataset's: all returns of an order give back at most what it bought,
    product by product.
    """
    used = Counter(given_back)
    left = []
    for line, _ in bought:
        taken = min(line.quantity, used[line.product_id])
        used[line.product_id] -= taken
        left.append(line.quantity - taken)
    problems: list[Problem] = []
    if not request.lines:
        take = list(left)
        if not any(take):
            reason = f"nothing of order {request.returns_order_id} is left to return"
            problems.append(_problem(request, "lines", reason))
    else:
        take = [0] * len(bought)
        problems += _quantity_problems(request)
        for n, wanted in enumerate(request.lines, start=1):
            rows = [i for i, (_, sku) in enumerate(bought) if sku == wanted.sku]
            if not rows:
                reason = f"order {request.returns_order_id} did not buy {wanted.sku!r}"
                problems.append(_problem(request, "sku", reason, n))
                continue
            if not 0 < wanted.quantity <= MAX_QUANTITY:
                continue  # reported above
            available = sum(left[i] - take[i] for i in rows)
            if wanted.quantity > available:
                reason = f"{rules.RETURNS_TOO_MANY} ({available} left to return)"
                problems.append(_problem(request, "quantity", reason, n))
                continue
            need = wanted.quantity
            for i in rows:
                step = min(need, left[i] - take[i])
                take[i] += step
                need -= step
    pieces = [(line, units) for (line, _), units in zip(bought, take, strict=True) if units > 0]
    lines = [
        OrderLine(
            line_no=number,
            product_id=line.product_id,
            quantity=units,
            unit_price=line.unit_price,
            pv=line.pv,
            bv=line.bv,
        )
        for number, (line, units) in enumerate(pieces, start=1)
    ]
    return lines, problems


def _count_volume(session: Session, order: Order, credited: Member) -> None:
    """Add the order's volume (negative for a return) up the credited member's line in
    the period it counts in, as ``rebuild_period_volumes`` counts it."""
    period = period_of(session, order.counts_on)
    try:
        plan = plan_on(session, period.start)
    except NotFoundError:
        return  # no plan to count for yet: a rebuild counts it once one is in force
    volume = int(
        counted_pv(
            plan,
            np.array([order.buyer_customer_id is not None]),
            np.array([order.total_pv]),
            np.array([order.total_bv]),
        )[0]
    )
    if volume == 0:
        return
    line = volumes.sponsor_line(session, period.key, credited.id)
    allowed = statuses_allowed(plan)[STATUS_CODES[credited.status]]
    volumes.add_volume(
        session,
        period.key,
        [int(row[0]) for row in line],
        volume,
        leg_caps(plan),
        plan.activity.min_pv,
        buyer_counts=bool(allowed),
    )


def _replay(session: Session, existing: Order, request: OrderRequest) -> PostedOrder:
    """The stored order if ``request`` says the same; else a conflict naming what differs."""
    posted = _posted(session, existing, created=False)
    differ = []
    if posted.kind != request.kind:
        differ.append("kind")
    if posted.placed_on != request.placed_on:
        differ.append("placed_on")
    if posted.returns_order_id != request.returns_order_id:
        differ.append("returns_order_id")
    for field in ("buyer_member_id", "buyer_customer_id"):
        asked = getattr(request, field)
        if (asked is not None or posted.kind != "return") and asked != getattr(posted, field):
            differ.append(field)
    stored = [(line.sku, line.quantity) for line in posted.lines]
    asked_lines = [(line.sku, line.quantity) for line in request.lines]
    if posted.kind == "return":  # a return's lines are split by the order's lines
        same_lines = not asked_lines or _units(stored) == _units(asked_lines)
    else:
        same_lines = stored == asked_lines
    if not same_lines:
        differ.append("lines")
    if differ:
        raise ConflictError(
            f"order {request.order_id} was already posted with a different {', '.join(differ)}"
        )
    return posted


def _units(lines: list[tuple[str, int]]) -> Counter[str]:
    """Units per sku."""
    total: Counter[str] = Counter()
    for sku, quantity in lines:
        total[sku] += quantity
    return total


def _posted(session: Session, order: Order, created: bool) -> PostedOrder:
    member_id, customer_id, credited, reversed_id = orders_repo.external_ids(session, order.id)
    period = period_of(session, order.counts_on)
    return PostedOrder(
        db_id=order.id,
        order_id=order.order_id,
        kind=order.order_kind or order.kind,
        placed_on=order.placed_on,
        buyer_member_id=member_id,
        buyer_customer_id=customer_id,
        credited_member_id=credited,
        returns_order_id=reversed_id,
        country=order.country,
        currency=order.currency,
        period_key=period.key,
        period_finalized=period_finalized(session, period),
        total_pv=order.total_pv,
        total_bv=order.total_bv,
        total_sales=order.total_sales,
        total_other_sales=order.total_other_sales,
        total_retail_margin=order.total_retail_margin,
        lines=tuple(
            PostedLine(line.line_no, sku, line.quantity, line.unit_price, line.pv, line.bv)
            for line, sku in orders_repo.lines_with_skus(session, order.id)
        ),
        created=created,
    )

"""Order intake for the company's shop or ERP: ``POST /orders`` posts a member's order, a
retail customer's order or a return (services.order_intake).

Owners and admins only: posting an order moves volumes and pay, so a member cannot post
one, for themselves or anyone else (the same 404 as a missing page). An order id posted
again with the same content answers 200 with the stored order; an ``Idempotency-Key``
gives the first answer back.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictInt

from fairtree.api.deps import AdminStaff, DbSession
from fairtree.api.params import IdempotencyKey, InputDate
from fairtree.money import format_amount, format_points
from fairtree.services.access.idempotency import fingerprint, run_once
from fairtree.services.orders import order_intake

router = APIRouter(prefix="/orders", tags=["orders"])

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class OrderLineIn(BaseModel):
    sku: Id
    quantity: Annotated[StrictInt, Field(ge=1, le=order_intake.MAX_QUANTITY)]


class OrderIn(BaseModel):
    order_id: Id
    kind: str = Field(
        default="order",
        pattern=r"^[a-z][a-z0-9_]{0,31}$",
        description="order, return, or the kind of order a plan may ask for (e.g. subscription)",
    )
    placed_on: InputDate
    buyer_member_id: Id | None = Field(default=None, description="a member's own order")
    buyer_customer_id: Id | None = Field(
        default=None, description="a retail customer's order, credited to their member"
    )
    returns_order_id: Id | None = Field(default=None, description="a return: the order")
    lines: list[OrderLineIn] = Field(
        default_factory=list,
        max_length=200,
        description="an order's products; a return's, or none to return all that is left",
    )

    def request(self) -> order_intake.OrderRequest:
        return order_intake.OrderRequest(
            order_id=self.order_id,
            placed_on=self.placed_on,
            kind=self.kind,
            buyer_member_id=self.buyer_member_id,
            buyer_customer_id=self.buyer_customer_id,
            returns_order_id=self.returns_order_id,
            lines=tuple(order_intake.NewLine(x.sku, x.quantity) for x in self.lines),
        )


class OrderLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_price: str = Field(description="decimal string in the order's currency")
    pv: str = Field(description="points per unit, two decimals")
    bv: str


class OrderTotalsOut(BaseModel):
    """Signed: negative on a return."""

    pv: str
    bv: str
    sales: str = Field(description="commissionable lines, in the order's currency")
    other_sales: str = Field(description="lines that carry no volume")
    retail_margin: str = Field(description="a customer's order: retail minus member price")


class PostedOrderOut(BaseModel):
    order_id: str
    kind: str
    placed_on: date
    buyer_member_id: str | None
    buyer_customer_id: str | None
    credited_member_id: str = Field(description="whose volume it is")
    returns_order_id: str | None
    country: str
    currency: str
    counts_in_period: str = Field(description="a return counts in its order's period")
    period_finalized: bool = Field(
        description="that period is finalized: the next close corrects its pay"
    )
    totals: OrderTotalsOut
    lines: list[OrderLineOut]


def _out(posted: order_intake.PostedOrder) -> PostedOrderOut:
    money = posted.currency
    return PostedOrderOut(
        order_id=posted.order_id,
        kind=posted.kind,
        placed_on=posted.placed_on,
        buyer_member_id=posted.buyer_member_id,
        buyer_customer_id=posted.buyer_customer_id,
        credited_member_id=posted.credited_member_id,
        returns_order_id=posted.returns_order_id,
        country=posted.country,
        currency=money,
        counts_in_period=posted.period_key,
        period_finalized=posted.period_finalized,
        totals=OrderTotalsOut(
            pv=format_points(posted.total_pv),
            bv=format_points(posted.total_bv),
            sales=format_amount(posted.total_sales, money),
            other_sales=format_amount(posted.total_other_sales, money),
            retail_margin=format_amount(posted.total_retail_margin, money),
        ),
        lines=[
            OrderLineOut(
                line_no=line.line_no,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=format_amount(line.unit_price, money),
                pv=format_points(line.pv),
                bv=format_points(line.bv),
            )
            for line in posted.lines
        ],
    )


@router.post(
    "",
    response_model=PostedOrderOut,
    status_code=201,
    responses={200: {"model": PostedOrderOut, "description": "already posted, same content"}},
)
def post_order(
    request: Request,
    body: OrderIn,
    staff: AdminStaff,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Post an order or a return; the buyer's and every upline member's live volumes and
    rank progress include it when the answer comes."""

    def create() -> tuple[int, object]:
        posted = order_intake.post_recorded(session, body.request(), staff, via="the API")
        return (201 if posted.created else 200), _out(posted).model_dump(mode="json")

    request_hash = fingerprint(request.method, request.url.path, body.model_dump(mode="json"))
    (status, payload), replayed = run_once(session, staff, idempotency_key, request_hash, create)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(payload, status_code=status, headers=headers)

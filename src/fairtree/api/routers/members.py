"""A member's own data: profile, orders, customers. Each route names its data kind and
goes through the policy (see docs/decisions/0002-authorization.md)."""

from __future__ import annotations

from fastapi import APIRouter

from fairtree.api.deps import DbSession, Reason, SignedIn
from fairtree.api.params import Limit, MemberId, Offset, RecordId
from fairtree.api.schemas import CustomerOut, OrderOut, ProfileOut
from fairtree.money import format_amount, format_points
from fairtree.services.access.authorization import DataKind, authorize, owner_member
from fairtree.services.member_data import member_records
from fairtree.services.member_data.member_records import OrderSummary
from fairtree.store.models import Customer

router = APIRouter(prefix="/members/{member_id}", tags=["members"])


def _order_out(order: OrderSummary) -> OrderOut:
    return OrderOut(
        order_id=order.order_id,
        kind=order.kind,
        placed_on=order.placed_on,
        currency=order.currency,
        amount=format_amount(order.amount, order.currency),
        pv=format_points(order.pv),
        bv=format_points(order.bv),
        lines=order.lines,
        returns_order_id=order.returns_order_id,
    )


def _customer_out(customer: Customer) -> CustomerOut:
    return CustomerOut(
        customer_id=customer.customer_id,
        name=customer.name,
        country=customer.country,
        created_on=customer.created_on,
    )


@router.get("/profile", response_model=ProfileOut)
def read_profile(
    member_id: MemberId, principal: SignedIn, session: DbSession, reason: Reason
) -> ProfileOut:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.PROFILE, record="profile", reason=reason)
    return ProfileOut(**member_records.profile(session, owner).__dict__)


@router.get("/orders", response_model=list[OrderOut])
def list_orders(
    member_id: MemberId,
    principal: SignedIn,
    session: DbSession,
    reason: Reason,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[OrderOut]:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.ORDERS, record="list", reason=reason)
    return [_order_out(o) for o in member_records.orders(session, owner, limit, offset)]


@router.get("/orders/{order_id}", response_model=OrderOut)
def read_order(
    member_id: MemberId, order_id: RecordId, principal: SignedIn, session: DbSession, reason: Reason
) -> OrderOut:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.ORDERS, record=f"order:{order_id}", reason=reason)
    return _order_out(member_records.order(session, owner, order_id))


@router.get("/customers", response_model=list[CustomerOut])
def list_customers(
    member_id: MemberId,
    principal: SignedIn,
    session: DbSession,
    reason: Reason,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[CustomerOut]:
    owner = owner_member(session, member_id)
    authorize(session, principal, owner, DataKind.CUSTOMERS, record="list", reason=reason)
    return [_customer_out(c) for c in member_records.customers(session, owner, limit, offset)]


@router.get("/customers/{customer_id}", response_model=CustomerOut)
def read_customer(
    member_id: MemberId,
    customer_id: RecordId,
    principal: SignedIn,
    session: DbSession,
    reason: Reason,
) -> CustomerOut:
    owner = owner_member(session, member_id)
    record = f"customer:{customer_id}"
    authorize(session, principal, owner, DataKind.CUSTOMERS, record=record, reason=reason)
    return _customer_out(member_records.customer(session, owner, customer_id))

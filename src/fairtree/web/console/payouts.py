"""Console payout pages: create a period's batch (threshold, holds with reasons, conversion
at the stored rates), download the provider CSV, mark items paid or failed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession
from fairtree.errors import Problem, ValidationError
from fairtree.money import currency_exponent
from fairtree.services.access.audit import record_action
from fairtree.services.commissions import payouts, period_actions
from fairtree.services.commissions.payout_board import ITEM_SORTS, ITEM_STATUSES, batch_view
from fairtree.services.commissions.review import review_run
from fairtree.web.console.periods import _period_key
from fairtree.web.console.staff import AdminPage, ConfirmedAction, page
from fairtree.web.page_auth import PageForm
from fairtree.web.tables import Listing, TableQuery

router = APIRouter(prefix="/console/periods/{period}/payouts", include_in_schema=False)


def _minor(text: str, currency: str) -> int:
    """A threshold typed in major units (``20.00``) as minor units; refused if not exact."""
    try:
        value = Decimal(text.strip()) * 10 ** currency_exponent(currency)
    except InvalidOperation:
        raise ValidationError(
            [Problem("payout batch", "", "minimum", "a number such as 20.00")]
        ) from None
    if value != value.to_integral_value() or value < 0:
        raise ValidationError([Problem("payout batch", "", "minimum", "a non-negative amount")])
    return int(value)


def _batch_page(
    request: Request,
    staff: AdminPage,
    session: DbSession,
    key: str,
    status: int = 200,
    problems: list[str] | None = None,
) -> HTMLResponse:
    review = review_run(session, key)
    query = TableQuery.parse(dict(request.query_params), ITEM_SORTS, "id", filter_names=("status",))
    view = batch_view(
        session,
        key,
        query.filters.get("status"),
        query.sort,
        query.descending,
        query.limit,
        query.offset,
    )
    listing = Listing(
        f"/console/periods/{key}/payouts",
        query,
        view.items if view else [],
        view.item_count if view else 0,
        "items",
    )
    return page(
        request,
        staff,
        "console/payouts.html",
        status,
        key=key,
        review=review,
        view=view,
        listing=listing,
        statuses=ITEM_STATUSES,
        problems=problems,
    )


def _batch_action(
    request: Request, staff: AdminPage, session: DbSession, key: str
) -> ConfirmedAction:
    """Batch changes are asked from the batch page."""
    return ConfirmedAction(
        request,
        session,
        staff,
        lambda problems: _batch_page(request, staff, session, key, problems=problems),
    )


@router.get("", response_class=HTMLResponse)
def batch_page(request: Request, period: str, staff: AdminPage, session: DbSession) -> HTMLResponse:
    return _batch_page(request, staff, session, _period_key(period))


@router.get("/new", response_class=HTMLResponse)
def confirm_batch(
    request: Request,
    period: str,
    staff: AdminPage,
    session: DbSession,
    minimum: str = Query("20.00", max_length=20),
    reason: str = Query("", max_length=500),
) -> Response:
    """Confirm the batch's threshold and reason before it moves any money."""
    key = _period_key(period)
    review = review_run(session, key)
    problems = [] if reason.strip() else ["reason: is required"]
    try:
        _minor(minimum, review.currency)
    except ValidationError as error:
        problems += [f"{p.field}: {p.reason}" for p in error.problems]
    return _batch_action(request, staff, session, key).confirm(
        problems,
        "console/payout_confirm.html",
        key=key,
        review=review,
        minimum=minimum.strip(),
        reason=reason.strip(),
    )


@router.post("", response_class=HTMLResponse)
def create(
    request: Request, period: str, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    key = _period_key(period)

    def run() -> str:
        currency = review_run(session, key).currency
        period_actions.create_batch(
            session, staff, key, _minor(form.get("minimum", ""), currency), form.get("reason", "")
        )
        return f"/console/periods/{key}/payouts"

    return _batch_action(request, staff, session, key).submit(form, run)


@router.get("/payouts.csv")
def download(period: str, staff: AdminPage, session: DbSession) -> Response:
    """The provider CSV of the pending items (the download is audited)."""
    key = _period_key(period)
    text = payouts.export_csv(session, key)
    record_action(
        session,
        staff,
        action="payout_csv_downloaded",
        subject_kind="period",
        subject_id=key,
        reason="payout provider file",
        after={"rows": max(0, text.count("\n") - 1)},
    )
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="payouts-{key}.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/mark", response_class=HTMLResponse)
def mark(
    request: Request, period: str, form: PageForm, staff: AdminPage, session: DbSession
) -> Response:
    """Mark the checked items paid or failed (failed ones return to the member's balance)."""
    key = _period_key(period)
    items: list[int] = []
    for name in form:
        if name.startswith("item_") and name[5:].isdigit():
            items.append(int(name[5:]))
    outcome = form.get("outcome", "")

    def run() -> str:
        if outcome not in ("paid", "failed"):
            raise ValidationError([Problem("payout batch", key, "outcome", "paid or failed")])
        period_actions.mark_items(
            session, staff, key, items, outcome == "paid", form.get("reason", "")
        )
        return f"/console/periods/{key}/payouts"

    return _batch_action(request, staff, session, key).submit(form, run)

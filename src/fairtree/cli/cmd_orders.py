"""``fairtree orders post``: post one member's order, customer's order or return.

A thin command over ``services.order_intake`` for the operator: a late order, a return
taken at the counter. It commits on success and prints the stored order with its totals
and the period it counts in; otherwise it prints every problem and changes nothing.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fairtree.cli.database import command_session
from fairtree.cli.dates import day_or_today
from fairtree.cli.main import app
from fairtree.cli.output import error_console, print_problems
from fairtree.errors import FairtreeError, ValidationError
from fairtree.money import format_amount, format_points
from fairtree.services.orders.order_intake import NewLine, OrderRequest, PostedOrder, post_recorded

orders_app = typer.Typer(
    help="Orders: post members' orders, customers' orders and returns.", no_args_is_help=True
)
app.add_typer(orders_app, name="orders")


def _line(text: str) -> NewLine:
    sku, sep, quantity = text.partition("=")
    if not sep or not sku or not quantity.strip().isdigit():
        raise typer.BadParameter(f"{text!r} is not SKU=QUANTITY, e.g. TEA=2", param_hint="--line")
    return NewLine(sku.strip(), int(quantity))


@orders_app.command("post")
def post_command(
    order_id: Annotated[
        str, typer.Argument(help="The order's id (unique; posting it again is safe).")
    ],
    member: Annotated[str | None, typer.Option(help="The buying member (member prices).")] = None,
    customer: Annotated[
        str | None, typer.Option(help="The buying retail customer (retail prices).")
    ] = None,
    returns: Annotated[
        str | None, typer.Option(help="Post a return of this order (its buyer, its prices).")
    ] = None,
    line: Annotated[
        list[str] | None,
        typer.Option(help="SKU=QUANTITY, repeated. A return without lines returns all left."),
    ] = None,
    on: Annotated[str | None, typer.Option(help="Date placed, YYYY-MM-DD (default today).")] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="The order's kind when a plan asks for one, e.g. subscription."),
    ] = None,
) -> None:
    """Post an order or a return; live volumes and rank progress include it at once."""
    if returns and kind:
        raise typer.BadParameter("a return takes its order's kind", param_hint="--kind")
    request = OrderRequest(
        order_id=order_id,
        placed_on=day_or_today(on, "--on"),
        kind="return" if returns else (kind or "order"),
        buyer_member_id=member,
        buyer_customer_id=customer,
        returns_order_id=returns,
        lines=tuple(_line(text) for text in line or ()),
    )
    try:
        with command_session() as session:
            posted = post_recorded(session, request, None, via="the CLI")
    except ValidationError as error:
        print_problems(error)
        raise typer.Exit(1) from None
    except FairtreeError as error:
        error_console.print(f"refused: {escape(str(error))}", highlight=False)
        raise typer.Exit(1) from None
    _print(Console(highlight=False), posted)


def _print(console: Console, posted: PostedOrder) -> None:
    money = posted.currency
    buyer = (
        f"member {posted.buyer_member_id}"
        if posted.buyer_member_id
        else f"customer {posted.buyer_customer_id} of {posted.credited_member_id}"
    )
    what = (
        f"return of {posted.returns_order_id}"
        if posted.kind == "return"
        else ("order" if posted.kind == "order" else f"{posted.kind} order")
    )
    state = "posted" if posted.created else "already posted with the same content"
    console.print(
        f"{escape(posted.order_id)}: {what} by {escape(buyer)} on {posted.placed_on}, "
        f"counts in {posted.period_key} ({state})"
    )
    table = Table("line", "sku", "quantity", f"unit price {money}", "PV", "BV")
    for item in posted.lines:
        table.add_row(
            str(item.line_no),
            escape(item.sku),
            str(item.quantity),
            format_amount(item.unit_price, money),
            format_points(item.pv),
            format_points(item.bv),
        )
    console.print(table)
    console.print(
        f"totals: PV {format_points(posted.total_pv)}, BV {format_points(posted.total_bv)}, "
        f"sales {format_amount(posted.total_sales, money)}, other sales "
        f"{format_amount(posted.total_other_sales, money)}, retail margin "
        f"{format_amount(posted.total_retail_margin, money)} {money}"
    )
    if posted.period_finalized:
        console.print(
            f"{posted.period_key} is finalized: the next close corrects its pay "
            "with adjustment lines"
        )

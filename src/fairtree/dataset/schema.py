"""The files of a dataset folder and their columns, in the order the format fixes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[str, ...]
    required: bool = True
    # trailing columns a file written before they existed may leave out (read as empty)
    added_later: tuple[str, ...] = ()

    @property
    def first_columns(self) -> tuple[str, ...]:
        """The columns every file of this name has (``columns`` without ``added_later``)."""
        return self.columns[: len(self.columns) - len(self.added_later)]


COMPANY = FileSpec(
    "company.csv",
    (
        "company_id",
        "name",
        "currency",
        "country",
        "period_kind",
        "placement",
        "matrix_width",
        "binary_rule",
    ),
)
MEMBERS = FileSpec(
    "members.csv",
    (
        "member_id",
        "sponsor_id",
        "placement_parent_id",
        "placement_position",
        "joined_on",
        "status",
        "status_since",
        "country",
        "currency",
        "display_name",
        "identity_verified",
    ),
)
CUSTOMERS = FileSpec("customers.csv", ("customer_id", "member_id", "name", "country", "created_on"))
PRODUCTS = FileSpec(
    "products.csv",
    (
        "sku",
        "country",
        "name",
        "currency",
        "retail_price",
        "member_price",
        "pv",
        "bv",
        "commissionable",
        "category",
    ),
    added_later=("category",),
)
ORDERS = FileSpec(
    "orders.csv",
    (
        "order_id",
        "kind",
        "placed_on",
        "buyer_member_id",
        "buyer_customer_id",
        "country",
        "currency",
        "party_id",
        "returns_order_id",
    ),
)
ORDER_LINES = FileSpec(
    "order_lines.csv", ("order_id", "line_no", "sku", "quantity", "unit_price", "pv", "bv")
)
PARTIES = FileSpec(
    "parties.csv",
    ("party_id", "consultant_member_id", "host_customer_id", "host_member_id", "held_on"),
    required=False,
)
PLAN_FILE = "plan.yaml"

ALL_FILES = (COMPANY, MEMBERS, CUSTOMERS, PRODUCTS, ORDERS, ORDER_LINES, PARTIES)

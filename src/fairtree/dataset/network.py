"""Checks of company.csv and members.csv: settings, ids, both trees, dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.dataset import fields
from fairtree.dataset.arrays import Rows, duplicate_keys, duplicates, empty_to_null, lookup
from fairtree.dataset.chains import find_loops
from fairtree.dataset.problems import LineNumbers, Problems
from fairtree.dataset.schema import COMPANY, MEMBERS

PERIOD_KINDS = ("month", "week")
PLACEMENT_KINDS = ("none", "binary", "matrix")
BINARY_RULES = ("outer_left", "outer_right", "weaker_leg", "alternate")
MEMBER_STATUSES = ("active", "inactive", "terminated", "closed")

Reason = str | Callable[[int], str]
Report = Callable[[np.ndarray, str, Reason], None]


@dataclass
class CompanySettings:
    company_id: str
    name: str
    currency: str
    country: str
    period_kind: str
    placement: str
    matrix_width: int | None
    binary_rule: str | None


def check_company(
    table: pa.Table, lines: LineNumbers, problems: Problems
) -> CompanySettings | None:
    """The one row of company.csv, or None when it is unusable."""
    source = COMPANY.name
    if table.num_rows != 1:
        problems.file(source, f"must hold exactly one row, found {table.num_rows}")
        return None
    row = {name: table[name][0].as_py() for name in COMPANY.columns}
    before = len(problems.items)

    def bad(field: str, reason: str) -> None:
        problems.file(source, reason, location=f"line {lines(np.array([0]))[0]}", field=field)

    if fields.bad_id(pa.array([row["company_id"]]))[0]:
        bad("company_id", "id must be 1-64 characters of A-Z a-z 0-9 - _ .")
    if not row["name"]:
        bad("name", "name is empty")
    if not _matches(row["currency"], fields.CURRENCY_PATTERN):
        bad("currency", f"{row['currency']!r} is not an ISO 4217 currency code")
    if not _matches(row["country"], fields.COUNTRY_PATTERN):
        bad("country", f"{row['country']!r} is not an ISO 3166-1 alpha-2 country code")
    if row["period_kind"] not in PERIOD_KINDS:
        bad("period_kind", f"must be one of {', '.join(PERIOD_KINDS)}")
    placement = row["placement"]
    if placement not in PLACEMENT_KINDS:
        bad("placement", f"must be one of {', '.join(PLACEMENT_KINDS)}")
    width: int | None = None
    if placement == "matrix":
        if not _matches(row["matrix_width"], fields.POSITIVE_INT_PATTERN):
            bad("matrix_width", "a matrix needs a whole width greater than zero")
        else:
            width = int(row["matrix_width"])
    elif row["matrix_width"]:
        bad("matrix_width", "must be empty unless placement is matrix")
    rule: str | None = None
    if placement == "binary":
        if row["binary_rule"] not in BINARY_RULES:
            bad("binary_rule", f"a binary tree needs one of {', '.join(BINARY_RULES)}")
        rule = row["binary_rule"]
    elif row["binary_rule"]:
        bad("binary_rule", "must be empty unless placement is binary")
    if len(problems.items) > before:
        return None
    return CompanySettings(
        row["company_id"],
        row["name"],
        row["currency"],
        row["country"],
        row["period_kind"],
        placement,
        width,
        rule,
    )


def _matches(value: str, pattern: str) -> bool:
    return bool(fields.matches(pa.array([value], pa.string()), pattern)[0])


@dataclass
class Network:
    """Parsed members: ids, tree pointers (row indices, -1 = none) and join dates."""

    ids: pa.Array
    sponsor: np.ndarray
    placement_parent: np.ndarray
    joined_on: np.ndarray
    rows: Rows
    usable: bool = True


def check_members(
    table: pa.Table,
    lines: LineNumbers,
    company: CompanySettings | None,
    problems: Problems,
) -> Network:
    source = MEMBERS.name
    col = {name: table[name] for name in MEMBERS.columns}
    ids = col["member_id"]

    def report(bad: np.ndarray, field: str, reason: Reason) -> None:
        problems.rows(source, lines, bad, field, reason)

    report(fields.bad_id(ids), "member_id", "id must be 1-64 characters of A-Z a-z 0-9 - _ .")
    first = duplicates(ids)
    report(
        first >= 0,
        "member_id",
        lambda i: f"duplicate member_id {ids[i].as_py()!r} (first on line {lines(first[[i]])[0]})",
    )

    sponsor_text = col["sponsor_id"]
    sponsor = lookup(sponsor_text, ids)
    has_sponsor = ~fields.is_empty(sponsor_text)
    report(
        has_sponsor & (sponsor < 0),
        "sponsor_id",
        lambda i: f"unknown sponsor {sponsor_text[i].as_py()!r}",
    )
    sponsor = np.where(has_sponsor, sponsor, -1)
    _report_loops(sponsor, ids, lines, "sponsor_id", "sponsor", problems)

    parent_text = col["placement_parent_id"]
    parent = lookup(parent_text, ids)
    has_parent = ~fields.is_empty(parent_text)
    report(
        has_parent & (parent < 0),
        "placement_parent_id",
        lambda i: f"unknown placement parent {parent_text[i].as_py()!r}",
    )
    parent = np.where(has_parent, parent, -1)
    _check_positions(col["placement_position"], parent, has_parent, company, report)
    _report_loops(parent, ids, lines, "placement_parent_id", "placement parent", problems)

    joined, bad_joined = fields.parse_date(col["joined_on"])
    report(bad_joined, "joined_on", "not a date (YYYY-MM-DD)")
    since, bad_since = fields.parse_date(col["status_since"])
    report(bad_since, "status_since", "not a date (YYYY-MM-DD)")
    report(
        ~bad_joined & ~bad_since & (since < joined),
        "status_since",
        "status_since is before joined_on",
    )
    report(
        fields.bad_enum(col["status"], MEMBER_STATUSES),
        "status",
        f"status must be one of {', '.join(MEMBER_STATUSES)}",
    )
    report(~fields.matches(col["country"], fields.COUNTRY_PATTERN), "country", "not a country code")
    report(
        ~fields.matches(col["currency"], fields.CURRENCY_PATTERN), "currency", "not a currency code"
    )
    report(fields.is_empty(col["display_name"]), "display_name", "display_name is empty")
    verified, bad_verified = fields.parse_bool(col["identity_verified"])
    report(bad_verified, "identity_verified", "must be true or false")

    rows = Rows(
        "members",
        {
            "id": np.arange(1, len(ids) + 1, dtype=np.int64),
            "member_id": ids,
            "sponsor_id": pa.array(sponsor + 1, pa.int64(), mask=sponsor < 0),
            "placement_parent_id": pa.array(parent + 1, pa.int64(), mask=parent < 0),
            "placement_position": empty_to_null(col["placement_position"]),
            "joined_on": col["joined_on"],
            "status": col["status"],
            "status_since": col["status_since"],
            "country": col["country"],
            "currency": col["currency"],
            "display_name": col["display_name"],
            "identity_verified": verified,
        },
    )
    return Network(ids, sponsor, parent, joined, rows)


def _check_positions(
    position: pa.Array,
    parent: np.ndarray,
    has_parent: np.ndarray,
    company: CompanySettings | None,
    report: Report,
) -> None:
    has_position = ~fields.is_empty(position)
    placement = company.placement if company else None
    if placement == "none":
        report(has_parent, "placement_parent_id", "company has no placement tree: must be empty")
        report(has_position, "placement_position", "company has no placement tree: must be empty")
        return
    report(has_parent & ~has_position, "placement_position", "placement parent without a position")
    report(~has_parent & has_position, "placement_parent_id", "position without a placement parent")
    if placement == "binary":
        slot = to_slot(position, ("L", "R"))
        report(has_position & (slot < 0), "placement_position", "binary position must be L or R")
    elif placement == "matrix" and company is not None and company.matrix_width:
        width = company.matrix_width
        number, bad = fields.parse_positive_int(position)
        slot = np.where(bad | (number > width), -1, number)
        report(
            has_position & (slot < 0), "placement_position", f"matrix position must be 1..{width}"
        )
    else:
        return
    placed = has_parent & (parent >= 0) & (slot >= 0)
    keys = np.where(placed, parent * 1_000_003 + slot, -1 - np.arange(parent.size))
    taken = duplicate_keys(keys)
    report(taken >= 0, "placement_position", "placement slot already taken by an earlier member")


def to_slot(position: pa.Array, allowed: tuple[str, ...]) -> np.ndarray:
    found = pc.index_in(position, value_set=pa.array(allowed, pa.string()))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _report_loops(
    parent: np.ndarray,
    ids: pa.Array,
    lines: LineNumbers,
    field: str,
    what: str,
    problems: Problems,
) -> None:
    loops, count = find_loops(parent)
    for loop in loops:
        shown = [ids[int(i)].as_py() for i in loop[:10]]
        chain = " -> ".join([*shown, "..." if loop.size > 10 else shown[0]])
        problems.file(
            MEMBERS.name,
            f"following the {what} loops: {chain} ({loop.size} members)",
            location=f"line {lines(loop[:1])[0]}",
            field=field,
        )
    if count > len(loops):
        problems.file(MEMBERS.name, f"{count - len(loops)} more {what} loops", field=field)

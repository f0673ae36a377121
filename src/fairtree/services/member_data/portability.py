"""Data portability: everything a member owns, as a zip of JSON and CSV files.

Open formats a member can read without fairtree: profile, orders, customers, contacts,
notes, goals, grants, the access log about them, help requests they asked and the
policy versions they acknowledged. Money and volumes are exact decimal text.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fairtree.money import format_amount, format_points
from fairtree.services.access import grants
from fairtree.services.access.access_log import reads_of
from fairtree.services.care.help_requests import view_of as help_view
from fairtree.services.clock import aware
from fairtree.services.member_data import goals, member_records, notes, policies
from fairtree.store.models import Member
from fairtree.store.repositories.care import help as help_repo
from fairtree.store.repositories.commissions import member_pay
from fairtree.store.repositories.member_data import own_records

PAGE = 500
README = """\
Your fairtree data, exported {today}.

profile.json                  your profile
orders.csv                    your orders and returns (amount in minor-unit-exact text)
customers.csv                 your retail customers
contacts.csv                  your contacts with their consent state
notes.json                    your private notes
goals.json                    your goals and their progress on the export day
grants.json                   whom you let read which of your data, and until when
access_log.csv                who read your data, what, when and why
help_requests.json            help requests you asked, with their messages
statements.csv                every pay line of every period closed, adjustments with their reason
ledger_lines.csv              every entry on your pay accounts (owed, clawback, in transit, paid)
policy_acknowledgements.csv   policy versions you acknowledged, and when
"""


def _pages(fetch: Any) -> Iterator[Any]:
    offset = 0
    while True:
        batch = fetch(PAGE, offset)
        yield from batch
        if len(batch) < PAGE:
            return
        offset += PAGE


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, default=str, ensure_ascii=False) + "\n"


def export_files(session: Session, owner: Member, today: date) -> dict[str, str]:
    """File name -> text for the member's export."""
    orders = _pages(lambda n, o: member_records.orders(session, owner, n, o))
    customers = _pages(lambda n, o: member_records.customers(session, owner, n, o))
    contacts = _pages(lambda n, o: own_records.contacts_of(session, owner.id, n, o))
    reads = _pages(lambda n, o: reads_of(session, owner.id, n, o))
    asked = help_repo.requests_asked_by(session, owner.id)
    pay_lines = member_pay.payout_lines_of(session, owner.id)
    return {
        "README.txt": README.format(today=today.isoformat()),
        "profile.json": _json(asdict(member_records.profile(session, owner))),
        "orders.csv": _csv(
            [
                "order_id",
                "kind",
                "placed_on",
                "currency",
                "amount",
                "pv",
                "bv",
                "lines",
                "returns_order_id",
            ],
            (
                [
                    o.order_id,
                    o.kind,
                    o.placed_on.isoformat(),
                    o.currency,
                    format_amount(o.amount, o.currency),
                    format_points(o.pv),
                    format_points(o.bv),
                    o.lines,
                    o.returns_order_id or "",
                ]
                for o in orders
            ),
        ),
        "customers.csv": _csv(
            ["customer_id", "name", "country", "created_on"],
            ([c.customer_id, c.name, c.country, c.created_on.isoformat()] for c in customers),
        ),
        "contacts.csv": _csv(
            ["contact_id", "name", "email", "phone", "consent", "relationship_mark", "created_on"],
            (
                [
                    c.id,
                    c.name,
                    c.email or "",
                    c.phone or "",
                    c.consent,
                    c.relationship_mark or "",
                    c.created_on.isoformat(),
                ]
                for c in contacts
            ),
        ),
        "notes.json": _json([asdict(n) for n in notes.list_notes(session, owner, 10**6, 0)]),
        "goals.json": _json([asdict(g) for g in goals.list_goals(session, owner, today)]),
        "grants.json": _json([asdict(g) for g in grants.grants_of(session, owner)]),
        "access_log.csv": _csv(
            ["read_at", "reader", "data_kind", "record", "reason"],
            (
                [aware(e.read_at).isoformat(), login, e.data_kind, e.record, e.reason or ""]
                for e, login in reads
            ),
        ),
        "help_requests.json": _json([asdict(help_view(session, r)) for r in asked]),
        "statements.csv": _csv(
            [
                "period",
                "run_status",
                "currency",
                "bonus_id",
                "kind",
                "amount",
                "corrects_period",
                "reason",
            ],
            (
                [
                    key,
                    status,
                    currency,
                    bonus,
                    kind,
                    format_amount(int(amount), currency),
                    corrects or "",
                    reason or "",
                ]
                for key, status, currency, bonus, kind, amount, corrects, reason in pay_lines
            ),
        ),
        "ledger_lines.csv": _csv(
            ["posted_at", "transaction", "memo", "account", "amount", "currency", "bonus_id"],
            (
                [
                    aware(at).isoformat(),
                    kind,
                    memo,
                    account,
                    format_amount(int(amount), currency),
                    currency,
                    bonus or "",
                ]
                for at, kind, memo, account, amount, currency, bonus in member_pay.ledger_lines_of(
                    session, owner.id
                )
            ),
        ),
        "policy_acknowledgements.csv": _csv(
            ["version", "acknowledged_at"],
            ([v, at.isoformat()] for v, at in policies.acknowledgements(session, owner)),
        ),
    }


def export_zip(session: Session, owner: Member, today: date) -> bytes:
    """The member's export as zip bytes (deflated, one folder named after the member)."""
    buffer = io.BytesIO()
    folder = f"fairtree-{owner.member_id}-{today.isoformat()}"
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in export_files(session, owner, today).items():
            archive.writestr(f"{folder}/{name}", text.encode("utf-8"))
    return buffer.getvalue()

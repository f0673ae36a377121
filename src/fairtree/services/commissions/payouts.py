"""Payout batches: who is paid what, in which currency, and what became of it.

A batch per finalized period takes every member the company owes (their payable
balance, derived from the ledger) and decides per member, vectorized:
- held: identity not verified, terminated or closed, or an open dispute (payout_holds);
- carried: below the minimum payout (stays in the balance for the next batch);
- pending: converted to the member's currency at the exchange-rate snapshot stored
  with the period's finalized run (Decimal strings, one rounding per item) and moved
  from the payable to payouts in transit. The export is the CSV a payout provider
  takes; marking an item paid moves it to payouts paid, failed moves it back to the
  member's payable balance.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, NotFoundError, Problem, ValidationError
from fairtree.ledger.accounts import Account
from fairtree.money import RoundingRule, currency_exponent, format_amount, round_div_array
from fairtree.periods import Period
from fairtree.services.commissions.exchange_rates import missing, parse_rates
from fairtree.store.models import PayoutBatch
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import ledger, runs
from fairtree.store.repositories.commissions import payouts as store

CSV_COLUMNS = ("item_id", "member_id", "name", "amount", "currency", "reference")
HOLD_STATUSES = ("terminated", "closed")


@dataclass(frozen=True)
class BatchSummary:
    batch_id: int
    period_key: str
    pending: int
    held: int
    carried: int
    pending_total: int  # minor units of the batch currency


def convert(amount: np.ndarray, source: str, target: str, rate: Fraction) -> np.ndarray:
    """Minor units of ``source`` to minor units of ``target``: one half-up rounding."""
    scale = Fraction(10 ** currency_exponent(target), 10 ** currency_exponent(source))
    factor = rate * scale
    return round_div_array(
        amount.astype(np.int64) * factor.numerator, factor.denominator, RoundingRule.HALF_UP
    )


def plan_currency(session: Session) -> str:
    """The company's currency: the one pay is worked out (and a minimum payout given) in."""
    return company_repo.the_company(session).currency


def create_batch(session: Session, period_key: str, minimum_payout: int) -> BatchSummary:
    """The period's batch, converted at the exchange-rate snapshot of its finalized run."""
    company = company_repo.the_company(session)
    key = Period.parse(period_key).key
    run = runs.find_run(session, company.id, key, "finalized")
    if run is None:
        raise ConflictError(f"period {key} is not finalized; finalize it before paying")
    if store.find_batch(session, company.id, key) is not None:
        raise ConflictError(f"period {key} already has a payout batch")
    currency = run.currency
    rates = runs.exchange_rates(session, run.id)
    parsed = parse_rates(rates, currency)
    owed = store.owed_balances(session)
    lacking = missing(currency, parsed, set(owed["currency"].tolist()))
    if lacking:
        snapshot = f"the snapshot of run {run.id} (period {key})"
        raise ValidationError(
            [
                Problem("rates", c, "rate", f"no exchange rate {currency}->{c} in {snapshot}")
                for c in lacking
            ]
        )
    status = np.full(owed["id"].size, "pending", dtype=object)
    reason = np.full(owed["id"].size, None, dtype=object)
    below = owed["owed"] < minimum_payout
    status[below] = "carried"
    reason[below] = f"below the minimum payout of {format_amount(minimum_payout, currency)}"
    for mask, why in (
        (owed["disputed"], "disputed"),
        (np.isin(owed["status"], HOLD_STATUSES), "member terminated or closed"),
        (~owed["verified"], "identity not verified"),
    ):
        status[mask] = "held"
        reason[mask] = why
    payout_amount = np.zeros(owed["id"].size, dtype=np.int64)
    rate_text = np.full(owed["id"].size, "1", dtype=object)
    for target in sorted(set(owed["currency"].tolist())):
        rows = owed["currency"] == target
        payout_amount[rows] = convert(owed["owed"][rows], currency, target, parsed[target])
        rate_text[rows] = rates.get(target, "1")
    batch = PayoutBatch(
        company_id=company.id,
        period_key=key,
        currency=currency,
        minimum_payout=minimum_payout,
        rates_json=json.dumps(rates, sort_keys=True),
    )
    session.add(batch)
    session.flush()
    store.insert_items(
        session,
        batch.id,
        {
            "member_id": owed["id"],
            "amount": owed["owed"],
            "payout_currency": owed["currency"],
            "payout_amount": payout_amount,
            "rate": rate_text,
            "status": status,
            "reason": reason,
        },
    )
    tx_key = f"payout:{batch.id}"
    tx = ledger.open_transaction(
        session, company.id, "payout_sent", tx_key, f"payouts of {key}", payout_batch_id=batch.id
    )
    store.move_items(
        session,
        tx,
        batch.id,
        "pending",
        [(Account.MEMBER_PAYABLE, 1), (Account.PAYOUTS_IN_TRANSIT, -1)],
        currency,
        f"payout batch {key}",
    )
    ledger.check_transaction(session, tx, tx_key)
    pending = status == "pending"
    return BatchSummary(
        batch_id=batch.id,
        period_key=key,
        pending=int(pending.sum()),
        held=int((status == "held").sum()),
        carried=int((status == "carried").sum()),
        pending_total=int(owed["owed"][pending].sum()),
    )


def _batch(session: Session, period_key: str) -> PayoutBatch:
    company = company_repo.the_company(session)
    key = Period.parse(period_key).key
    batch = store.find_batch(session, company.id, key)
    if batch is None:
        raise NotFoundError(f"period {key} has no payout batch")
    return batch


def export_csv(session: Session, period_key: str) -> str:
    """The pending items in the shape payout providers take (one row per payment)."""
    batch = _batch(session, period_key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in store.batch_items(session, batch.id):
        if item.status != "pending":
            continue
        writer.writerow(
            [
                item.id,
                item.member_id,
                item.display_name,
                format_amount(item.payout_amount, item.payout_currency),
                item.payout_currency,
                f"fairtree {batch.period_key} item {item.id}",
            ]
        )
    return out.getvalue()


def mark_items(
    session: Session, period_key: str, item_ids: list[int], paid: bool, reason: str = ""
) -> int:
    """Confirm items paid, or failed (their amount returns to the member's balance)."""
    batch = _batch(session, period_key)
    status = "paid" if paid else "failed"
    moves = (
        [(Account.PAYOUTS_IN_TRANSIT, 1), (Account.PAYOUTS_PAID, -1)]
        if paid
        else [(Account.PAYOUTS_IN_TRANSIT, 1), (Account.MEMBER_PAYABLE, -1)]
    )
    moved = store.set_item_status(session, batch.id, item_ids, status, reason or None)
    if moved != len(set(item_ids)):
        raise ConflictError(
            f"only {moved} of {len(set(item_ids))} items were pending in batch {batch.period_key}"
        )
    listed = ",".join(str(i) for i in sorted(set(item_ids)))
    tx_key = f"payout:{batch.id}:{status}:" + hashlib.sha256(listed.encode()).hexdigest()[:32]
    tx = ledger.open_transaction(
        session,
        batch.company_id,
        f"payout_{status}",
        tx_key,
        f"payout items {status}" + (f": {reason}" if reason else ""),
        payout_batch_id=batch.id,
    )
    store.move_items(
        session, tx, batch.id, status, moves, batch.currency, reason or status, item_ids
    )
    ledger.check_transaction(session, tx, tx_key)
    return moved

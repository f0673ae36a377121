"""Time what the member back office pages read, for one member of an existing database.

    .venv/bin/python bench/member_pages.py --database-url URL --member M0000005 [--runs 20]

Prints JSON: p50 and p95 milliseconds of the dashboard reads (live rank progress, rank
history, earnings), one statement (the member's newest finalized period), one tree level
(the member's frontline, first page), and a downline search. Reads only; the access-log
rows the reads write are rolled back.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from fairtree.services.access.principal import Principal
from fairtree.services.clock import utcnow
from fairtree.services.commissions import earnings, statements
from fairtree.services.commissions.period_plan import period_of
from fairtree.services.network import tree_view
from fairtree.services.network.ranks import rank_history
from fairtree.services.orders.rank_progress import line_progress
from fairtree.store.database import make_engine, make_session_factory
from fairtree.store.models import Member, User


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.5) * 1000, 1), "p95_ms": round(pick(0.95) * 1000, 1)}


def _timed(runs: int, call: Callable[[], object]) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--member", required=True)
    parser.add_argument("--search", default="a")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    factory = make_session_factory(make_engine(args.database_url))
    with factory() as session:
        member = session.scalars(select(Member).where(Member.member_id == args.member)).one()
        user = session.scalars(select(User).where(User.member_id == member.id)).first()
        reader = Principal(
            user.id if user else 0, "bench", "member", member.id, member.member_id, "session", 0
        )
        today: date = utcnow().date()
        period = period_of(session, today)
        finalized = earnings.periods(session, member, 1, 0, finalized_only=True)[0]

        def dashboard() -> None:
            line_progress(session, member.member_id, today, upline=False)
            rank_history(session, member.member_id)
            earnings.member_earnings(session, member)

        figures = {
            "dashboard": _timed(args.runs, dashboard),
            "tree_level": _timed(
                args.runs,
                lambda: tree_view.tree_level(
                    session, reader, member, None, "sponsor", period, None, "name", False, 50, 0
                ),
            ),
            "downline_search": _timed(
                args.runs, lambda: tree_view.search_downline(session, reader, member, args.search)
            ),
        }
        if finalized:
            key = finalized[0].period_key
            figures["statement"] = _timed(
                max(3, args.runs // 4),
                lambda: statements.member_statement(session, key, member.member_id),
            )
        session.rollback()
    print(json.dumps({"member": args.member, "runs": args.runs, **figures}, indent=2))


if __name__ == "__main__":
    main()

"""Console services on the database: audited close, approval, finalize, payouts, what-if,
and background jobs run by a worker outside the request."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, PermissionDeniedError, PlanError, ValidationError
from fairtree.periods import Period
from fairtree.services.access.principal import Principal
from fairtree.services.commissions import period_actions
from fairtree.services.commissions.whatif import what_if
from fairtree.services.demo.seed import DemoShape, seed_demo
from fairtree.services.jobs import run_one, submit, view
from fairtree.services.progress import NoProgress
from fairtree.store.database import make_session_factory, session_scope
from fairtree.store.models import AuditRecord, CommissionRun, Job, PlanVersion

SHAPE = DemoShape(members=120, months=4, seed=5, today=date(2026, 4, 20))
OPEN = "2026-04"
FINALIZED = "2026-03"


def _staff(user_id: int, login: str, role: str = "admin") -> Principal:
    return Principal(user_id, login, role, None, None, "session", 1)


ADMIN, OTHER = _staff(1, "admin@x"), _staff(2, "second@x")


def _audits(session: Session, action: str) -> list[AuditRecord]:
    return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action)))


def _raise_level_one(session: Session) -> str:
    text = session.scalars(select(PlanVersion.yaml_text)).first()
    assert text is not None and 'rates: ["5%", "5%"' in text
    return text.replace('rates: ["5%", "5%"', 'rates: ["8%", "5%"', 1)


def test_close_approve_finalize_and_pay_are_audited(session: Session) -> None:
    seed_demo(session, SHAPE)
    closed = period_actions.close(session, ADMIN, OPEN, "month end", NoProgress())
    assert closed.period_key == OPEN and closed.total_paid > 0
    assert _audits(session, "period_closed")[0].after["run_id"] == closed.run_id
    period_actions.set_approval_rule(session, ADMIN, True, "four eyes")
    with pytest.raises(PermissionDeniedError):
        period_actions.finalize(session, ADMIN, OPEN, {"CAD": "1.37", "JPY": "150"}, "go")
    period_actions.approve(session, OTHER, OPEN, "checked the review")
    with pytest.raises(PermissionDeniedError):  # the approver may not finalize alone
        period_actions.finalize(session, OTHER, OPEN, {"CAD": "1.37", "JPY": "150"}, "go")
    run_id = period_actions.finalize(session, ADMIN, OPEN, {"CAD": "1.37", "JPY": "150"}, "go")
    assert _audits(session, "period_finalized")[0].after["rates"]["CAD"] == "1.37"
    with pytest.raises(ConflictError):
        period_actions.finalize(session, ADMIN, OPEN, {"CAD": "1.37", "JPY": "150"}, "again")
    finalized = session.scalar(
        select(func.count())
        .select_from(CommissionRun)
        .where(CommissionRun.period_key == OPEN, CommissionRun.status == "finalized")
    )
    assert finalized == 1 and run_id == closed.run_id
    summary = period_actions.create_batch(session, ADMIN, OPEN, 2000, "pay April")
    assert summary.pending + summary.held + summary.carried > 0
    assert _audits(session, "payout_batch_created")[0].after["batch_id"] == summary.batch_id
    # the batch's items are paged and sorted in the store, every one reachable
    from fairtree.services.commissions.payout_board import batch_view

    whole = batch_view(session, OPEN, limit=500)
    assert whole is not None and whole.item_count == len(whole.items) > 4
    pages = [batch_view(session, OPEN, None, "amount", True, 3, o) for o in range(0, 500, 3)]
    by_amount = [i for v in pages if v is not None for i in v.items]
    assert [i.id for i in by_amount] == [
        i.id for i in sorted(whole.items, key=lambda i: (-i.amount, i.id))
    ]
    pending = batch_view(session, OPEN, "pending", "id", False, 500, 0)
    assert pending is not None and pending.item_count == summary.pending
    assert {i.status for i in pending.items} == {"pending"}


def test_what_if_counts_gainers_and_losers_over_a_finalized_period(session: Session) -> None:
    seed_demo(session, SHAPE)
    summary = what_if(session, FINALIZED, _raise_level_one(session), "level one 8%")
    assert summary["period"] == FINALIZED
    assert summary["total_after"] > summary["total_before"] > 0
    assert summary["gainers"] > 0 and summary["losers"] == 0
    assert summary["gainers"] + summary["losers"] + summary["unchanged"] == summary["members"]
    assert sum(b["members"] for b in summary["buckets"]) == summary["members"]
    assert sum(r["members"] for r in summary["by_rank"]) == summary["members"]
    assert sum(r["change"] for r in summary["by_cohort"]) == (
        summary["total_after"] - summary["total_before"]
    )
    unilevel = next(b for b in summary["bonuses"] if b["bonus_id"] == "unilevel")
    assert unilevel["delta"] == summary["gained"]  # level one only touches the unilevel
    assert summary["largest"][0]["delta"] == max(r["delta"] for r in summary["largest"])


def test_what_if_refuses_an_open_period_and_a_bad_plan(session: Session) -> None:
    seed_demo(session, SHAPE)
    with pytest.raises(ConflictError):
        what_if(session, OPEN, _raise_level_one(session))
    with pytest.raises(PlanError) as refused:
        what_if(session, FINALIZED, "plan: {name: x}\ncurrency: usd\n")
    assert refused.value.problems  # every problem names its path


def test_a_close_job_runs_outside_the_request_and_a_second_submit_is_the_same_job(
    committing_engine,
) -> None:
    factory = make_session_factory(committing_engine)
    with session_scope(committing_engine) as session:
        seed_demo(session, SHAPE)
    import fairtree.services.jobs.catalogue  # noqa: F401

    with session_scope(committing_engine) as session:
        job = submit(session, ADMIN, "close", {"period": OPEN, "reason": "month end"}, "tok-1")
        again = submit(session, ADMIN, "close", {"period": OPEN, "reason": "month end"}, "tok-1")
        assert again.id == job.id
        job_id = job.id
    assert run_one(factory) == job_id
    assert run_one(factory) is None
    with session_scope(committing_engine) as session:
        done = view(session, job_id)
        assert done.status == "done" and done.result is not None
        assert done.result["period"] == OPEN
        assert session.scalar(select(func.count()).select_from(Job)) == 1
        run = session.get(CommissionRun, done.result["run_id"])
        assert run is not None and run.status == "draft"
        # a failing job records its error and writes nothing
        failing = submit(session, ADMIN, "close", {"period": "2026-02", "reason": "x"}, "tok-2")
        failing_id = failing.id
    assert run_one(factory) == failing_id
    with session_scope(committing_engine) as session:
        failed = view(session, failing_id)
        assert failed.status == "failed" and "finalized" in (failed.error or "")
        assert Period.parse(OPEN).key == OPEN


def test_company_tree_shows_any_level_to_staff_logs_each_member_and_refuses_members(
    session: Session,
) -> None:
    from fairtree.errors import NotFoundError
    from fairtree.services.network.tree_view import company_level
    from fairtree.store.models import AccessLogEntry, Member

    seed_demo(session, SHAPE)
    support = _staff(3, "support@x", "support")
    period = Period.parse(OPEN)
    top = company_level(session, support, None, "sponsor", period, None, "id", False, 5, 0)
    tops = list(session.scalars(select(Member).where(Member.sponsor_id.is_(None))))
    assert top.tops_total == len(tops) and top.level.parent.member_id == tops[0].member_id
    assert top.level.path == [(tops[0].member_id, tops[0].display_name)]
    frontline = sorted(
        session.scalars(select(Member.member_id).where(Member.sponsor_id == tops[0].id))
    )
    assert top.level.total == len(frontline) > 5
    assert [n.member_id for n in top.level.nodes] == frontline[:5]  # sorted and paged in SQL
    second = company_level(session, support, None, "sponsor", period, None, "id", False, 5, 5)
    assert [n.member_id for n in second.level.nodes] == frontline[5:10]
    # a member deep in the tree: the path runs from the top down to them
    deep = session.scalars(
        select(Member)
        .where(Member.sponsor_id.is_not(None), Member.sponsor_id != tops[0].id)
        .order_by(Member.id)
    ).first()
    assert deep is not None
    below = company_level(
        session, ADMIN, deep.member_id, "placement", period, None, "name", False, 50, 0
    )
    assert below.level.path[-1] == (deep.member_id, deep.display_name)
    assert below.level.path[0][0] == below.tops[0][0] and len(below.level.path) >= 2
    logged = session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.reader_user_id == support.user_id, AccessLogEntry.data_kind == "team"
        )
    ).all()
    assert len(logged) == 2 * (1 + 5) and {e.record for e in logged} == {"sponsor tree"}
    member = Principal(9, "m@x", "member", tops[0].id, tops[0].member_id, "session", 1)
    with pytest.raises(NotFoundError):
        company_level(session, member, None, "sponsor", period, None, "id", False, 5, 0)
    with pytest.raises(NotFoundError):
        company_level(session, ADMIN, "NOPE", "sponsor", period, None, "id", False, 5, 0)


def test_a_stored_version_runs_plan_cases_and_shows_each_difference(session: Session) -> None:
    from pathlib import Path

    from fairtree.services.commissions import plan_case_runs, plan_versions

    seed_demo(session, SHAPE)
    stored = session.scalars(select(PlanVersion)).first()
    assert stored is not None
    library = Path(__file__).resolve().parents[2] / "plans"
    assert plan_case_runs.case_folders(library)["unilevel"] == 15
    cases = plan_case_runs.folder_cases(library, "unilevel")
    result = plan_case_runs.run_version_cases(session, stored.version, cases)
    assert (result["passed"], result["failed"]) == (15, 0)  # the demo's plan is that plan
    plan_versions.upload(
        session, ADMIN, "level-one-8", date(2030, 1, 1), _raise_level_one(session), "try 8%"
    )
    changed = plan_case_runs.run_version_cases(session, "level-one-8", cases)
    first = next(c for c in changed["cases"] if c["name"] == "unilevel/01_chain_associates.yaml")
    # B's 60 BV pays A 8% = 4.80 instead of 3.00; C's 80 BV pays B 6.40 instead of 4.00
    assert not first["passed"]
    assert "engine: pay A unilevel: expected 7.00, got 8.80" in first["differences"]
    assert "reference: pay B unilevel: expected 4.00, got 6.40" in first["differences"]
    assert changed["failed"] >= 1 and changed["passed"] + changed["failed"] == 15
    pasted = plan_case_runs.pasted_cases("members: [{id: A}]\r\n---\r\nnot: [valid\r\n")
    assert [c.name for c in pasted] == ["pasted case 1", "pasted case 2"]
    refused = plan_case_runs.run_version_cases(session, stored.version, pasted)
    assert refused["failed"] == 2
    assert all(c["differences"][0].startswith("case refused:") for c in refused["cases"])
    with pytest.raises(ValidationError):
        plan_case_runs.folder_cases(library, "../etc")


def test_review_changes_and_anomalies_from_sql_equal_the_per_member_rule(
    session: Session,
) -> None:
    from fairtree.services.commissions.review import review_run
    from fairtree.store.models import Member
    from fairtree.store.repositories.commissions import runs

    seed_demo(session, SHAPE)
    period_actions.close(session, ADMIN, OPEN, "month end", NoProgress())
    review = review_run(session, OPEN, top=5, member_factor=1)
    draft = session.scalars(select(CommissionRun).where(CommissionRun.period_key == OPEN)).one()
    earlier = list(
        session.scalars(
            select(CommissionRun)
            .where(CommissionRun.status == "finalized", CommissionRun.period_key < OPEN)
            .order_by(CommissionRun.starts_on)
        )
    )[-3:]
    names = {pk: m for pk, m in session.execute(select(Member.id, Member.member_id))}
    current = runs.member_totals(session, draft.id)
    previous = runs.member_totals(session, earlier[-1].id)
    expected = sorted(
        (
            (names[m], previous.get(m, 0), current.get(m, 0))
            for m in set(current) | set(previous)
            if current.get(m, 0) != previous.get(m, 0)
        ),
        key=lambda c: (-abs(c[2] - c[1]), c[0]),
    )
    assert [(c.member_id, c.previous, c.current) for c in review.largest_changes] == expected[:5]
    everyone = review_run(session, OPEN, top=1000).largest_changes
    assert [(c.member_id, c.previous, c.current) for c in everyone] == expected
    for top in range(1, len(expected) + 1):  # every cut, ties at it broken by member id
        cut = review_run(session, OPEN, top=top).largest_changes
        assert [(c.member_id, c.previous, c.current) for c in cut] == expected[:top]
    assert len(expected) > 5
    history = [runs.member_totals(session, r.id) for r in earlier]
    flagged = []
    for member, amount in sorted(current.items()):
        paid = [h[member] for h in history if h.get(member, 0) > 0]
        if paid and amount * len(paid) > 1 * sum(paid):
            flagged.append(names[member])
    found = [
        a.split(" is paid")[0][len("member ") :] for a in review.anomalies if a.startswith("member")
    ]
    assert found == flagged and flagged


def test_member_search_contains_any_case_escapes_wildcards_and_is_indexed_on_postgresql(
    session: Session,
) -> None:
    from sqlalchemy import inspect, update

    from fairtree.services.network.members import search_members
    from fairtree.store.models import Member

    seed_demo(session, SHAPE)
    session.execute(
        update(Member).where(Member.member_id == "M0000007").values(display_name="Ann 100%_x")
    )
    found = [m.member_id for m in search_members(session, None, "m000001", None, 50)]
    # M0000010..M0000019 contain it, whatever the case, in the order they joined
    assert found == [f"M00000{n}" for n in range(10, 20)]
    assert [m.member_id for m in search_members(session, None, "100%_X", None, 50)] == ["M0000007"]
    assert search_members(session, None, "%", None, 50)[0].member_id == "M0000007"
    assert search_members(session, None, "0%_", None, 50)[0].member_id == "M0000007"
    assert [m.member_id for m in search_members(session, None, "n 1", None, 50)] == ["M0000007"]
    if session.get_bind().dialect.name == "postgresql":
        names = {i["name"] for i in inspect(session.connection()).get_indexes("members")}
        assert {"ix_members_member_id_trgm", "ix_members_display_name_trgm"} <= names

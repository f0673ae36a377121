"""A tree or downline report of a closed period shows the PV and GV its run computed
(the figures the close ranked and paid on), and the open period shows the running
volumes order intake keeps: one rule per figure, whatever filled the running table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.periods import Period
from fairtree.services.access import users
from fairtree.services.access.principal import Principal
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.datasets import import_dataset
from fairtree.services.network import downline_listing, tree_view
from fairtree.services.orders.rank_progress import rebuild_period_volumes
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.models import CommissionRun, Member, MemberPeriodVolume, RankRecord

RATES = {"CAD": "1.35", "EUR": "0.92", "JPY": "150"}


def _figures_by_member(session: Session, run_id: int) -> dict[str, tuple[int, int]]:
    rows = session.execute(
        select(Member.member_id, RankRecord.pv, RankRecord.group_volume)
        .join(RankRecord, RankRecord.member_id == Member.id)
        .where(RankRecord.run_id == run_id)
    )
    return {str(mid): (int(pv), int(gv)) for mid, pv, gv in rows}


def _running_by_member(session: Session, period_key: str) -> dict[str, tuple[int, int]]:
    rows = session.execute(
        select(Member.member_id, MemberPeriodVolume.pv, MemberPeriodVolume.group_volume)
        .join(MemberPeriodVolume, MemberPeriodVolume.member_id == Member.id)
        .where(MemberPeriodVolume.period_key == period_key)
    )
    return {str(mid): (int(pv), int(gv)) for mid, pv, gv in rows}


def test_closed_period_shows_its_runs_volumes(session: Session, tmp_path: Path) -> None:
    source = write_dataset(generate(200, 2, seed=11), tmp_path / "source")
    import_dataset(session, source)  # an import fills no running volumes
    first, second = Period.parse("2026-01"), Period.parse("2026-02")
    close_period(session, first.key)
    finalize_run(session, first.key, RATES)
    run_id = session.scalar(select(CommissionRun.id).where(CommissionRun.period_key == first.key))
    assert run_id is not None
    closed = _figures_by_member(session, run_id)
    assert sum(gv for _, gv in closed.values()) > 0
    assert rebuild_period_volumes(session, second.key) > 0
    running = _running_by_member(session, second.key)
    root = session.scalars(select(Member).where(Member.sponsor_id.is_(None))).first()
    assert root is not None
    user = users.create_member_user(session, root.member_id, "a long enough password")
    reader = Principal(user.id, "r", "member", root.id, root.member_id, "session", 0)
    for period, expected in ((first, closed), (second, running)):
        level = tree_view.tree_level(
            session, reader, root, None, "sponsor", period, None, "gv", True, 50, 0
        )
        shown = [level.parent, *level.nodes]
        assert len(shown) > 3
        for node in shown:
            assert (node.pv, node.gv) == expected.get(node.member_id, (0, 0)), (
                period.key,
                node.member_id,
            )
        assert any(node.gv for node in shown), period.key
        report = downline_listing.downline_page(
            session, reader, root, period, set(), "gv", True, 500, 0
        )
        assert report.rows
        for row in report.rows:
            assert (row.pv, row.gv) == expected.get(row.member_id, (0, 0)), (
                period.key,
                row.member_id,
            )

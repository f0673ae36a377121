from sqlalchemy import func, select

from fairtree.config import Settings
from fairtree.services.access.sign_in import check_credentials
from fairtree.services.demo.people import pick_demo_members
from fairtree.services.demo.seed import DemoShape, seed_demo_if_empty
from fairtree.simulation.synth import generate
from fairtree.store.models import Contact, Member, Order, User


def test_demo_seeds_once_through_the_import_path(session):
    shape = DemoShape(members=120, months=3, seed=5)
    seeded = seed_demo_if_empty(session, shape)
    assert seeded is not None
    assert seeded.counts.members == 120
    assert session.scalar(select(func.count()).select_from(Member)) == 120
    imported = seeded.counts.orders
    assert imported > 0
    # one more: the late order the demo posts into a finalized month to show a correction
    assert session.scalar(select(func.count()).select_from(Order)) == imported + 1
    assert seed_demo_if_empty(session, shape) is None
    assert session.scalar(select(func.count()).select_from(Member)) == 120


def test_demo_sign_ins_work_and_members_own_contacts(session):
    seeded = seed_demo_if_empty(session, DemoShape(members=150, months=2, seed=3))
    assert seeded is not None
    roles = sorted(s.role for s in seeded.sign_ins)
    assert roles == ["admin", "member", "member", "member", "member", "support"]
    assert session.scalar(select(func.count()).select_from(User)) == 6
    assert session.scalar(select(func.count()).select_from(Contact)) == 4 * 4
    settings = Settings()
    for demo in seeded.sign_ins:
        user = check_credentials(session, settings, demo.login, demo.password, "127.0.0.1")
        assert user is not None and user.role == demo.role
        assert check_credentials(session, settings, demo.login, "wrong", "127.0.0.2") is None


def test_demo_members_have_the_promised_relationships():
    members = generate(300, 2, seed=9).members
    picked = pick_demo_members(members)
    sponsor = members.sponsor
    assert sponsor[picked["leader"]] == picked["upline"]
    assert sponsor[picked["downline"]] == picked["leader"]
    chain, node = set(), picked["crossline"]
    while node >= 0:
        chain.add(node)
        node = int(sponsor[node])
    assert picked["leader"] not in chain


def test_demo_months_end_with_the_current_month():
    from datetime import date

    assert DemoShape(months=6, today=date(2026, 11, 22)).first_day() == date(2026, 6, 1)
    assert DemoShape(months=3, today=date(2027, 2, 1)).first_day() == date(2026, 12, 1)
    assert DemoShape(months=1).first_day() == date.today().replace(day=1)


def test_demo_books_have_finalized_months_a_correction_and_a_payout(session):
    from datetime import date

    from fairtree.store.models import CommissionRun, PayoutBatch, PayoutLine

    shape = DemoShape(members=200, months=4, seed=11, today=date(2026, 4, 20))
    seeded = seed_demo_if_empty(session, shape)
    assert seeded is not None and seeded.books is not None
    books = seeded.books
    assert books.finalized == ["2026-01", "2026-02", "2026-03"]
    assert (books.corrected, books.corrected_in, books.open_period) == (
        "2026-02",
        "2026-03",
        "2026-04",
    )
    statuses = dict(session.execute(select(CommissionRun.period_key, CommissionRun.status)).all())
    assert statuses == {"2026-01": "finalized", "2026-02": "finalized", "2026-03": "finalized"}
    corrections = session.scalars(
        select(PayoutLine).where(PayoutLine.corrects_period_key == "2026-02")
    ).all()
    assert corrections, "the late order must produce adjustment lines"
    march = session.scalar(select(CommissionRun).where(CommissionRun.period_key == "2026-03"))
    assert {line.run_id for line in corrections} == {march.id}
    assert session.scalar(select(PayoutBatch.period_key)) == "2026-03"
    payout = books.payout
    assert payout.pending + payout.held + payout.carried > 0

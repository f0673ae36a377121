from sqlalchemy import func, select

from fairtree.config import Settings
from fairtree.services.demo import DemoShape, seed_demo_if_empty
from fairtree.services.demo_people import pick_demo_members
from fairtree.services.sign_in import check_credentials
from fairtree.simulation.synth import generate
from fairtree.store.models import Contact, Member, Order, User


def test_demo_seeds_once_through_the_import_path(session):
    shape = DemoShape(members=120, months=3, seed=5)
    seeded = seed_demo_if_empty(session, shape)
    assert seeded is not None
    assert seeded.counts.members == 120
    assert session.scalar(select(func.count()).select_from(Member)) == 120
    assert session.scalar(select(func.count()).select_from(Order)) == seeded.counts.orders > 0
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

from sqlalchemy import func, select

from fairtree.services.demo import DemoShape, seed_demo_if_empty
from fairtree.store.models import Member, Order


def test_demo_seeds_once_through_the_import_path(session):
    shape = DemoShape(members=120, months=3, seed=5)
    counts = seed_demo_if_empty(session, shape)
    assert counts is not None
    assert counts.members == 120
    assert session.scalar(select(func.count()).select_from(Member)) == 120
    assert session.scalar(select(func.count()).select_from(Order)) == counts.orders > 0
    assert seed_demo_if_empty(session, shape) is None
    assert session.scalar(select(func.count()).select_from(Member)) == 120

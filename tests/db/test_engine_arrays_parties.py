"""The close loads only the parties its period's orders belong to."""

from datetime import date

from sqlalchemy import select

from fairtree.periods import Period
from fairtree.store.models import Order, Party
from fairtree.store.repositories.bulk.engine_arrays import load_period_facts
from tests.factories import add_tiny_member, member_db_id, post_order, seed_company


def _join_late_member(session, name: str, sponsor: str, joined: date) -> int:
    return add_tiny_member(session, name, sponsor, joined).id


def test_a_later_partys_consultant_is_not_needed_in_an_earlier_period(session):
    seed_company(session)
    march_party = Party(
        party_id="P-MAR", consultant_member_id=member_db_id(session, "B"), held_on=date(2026, 3, 12)
    )
    late = _join_late_member(session, "E", "D", date(2026, 5, 2))
    may_party = Party(party_id="P-MAY", consultant_member_id=late, held_on=date(2026, 5, 20))
    session.add_all([march_party, may_party])
    session.flush()
    order = post_order(session, "O-PARTY", "C", date(2026, 3, 12), "10", "10")
    order.party_id = march_party.id
    may_order = post_order(session, "O-MAY", "E", date(2026, 5, 20), "10", "10")
    may_order.party_id = may_party.id
    session.flush()

    march = load_period_facts(session, Period.parse("2026-03"))
    assert list(march.inputs.members.ids) == ["A", "B", "C", "D"]
    assert list(march.inputs.parties.ids) == ["P-MAR"]
    party_of = dict(zip(march.inputs.orders.ids, march.inputs.orders.party, strict=True))
    assert party_of["O-PARTY"] == 0
    assert party_of["O-A"] == -1

    may = load_period_facts(session, Period.parse("2026-05"))
    assert list(may.inputs.parties.ids) == ["P-MAY"]
    assert session.scalar(select(Order.party_id).where(Order.order_id == "O-MAY")) == may_party.id

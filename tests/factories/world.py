"""Acme: one member (T) seen from every relationship the authorization policy knows.

    R
    └── U3 (upline, 3 levels above T)
        ├── U2
        │   └── S (T's sponsor)
        │       └── T (the target)
        │           └── D (T's downline)
        ├── X (crossline)
        └── G (crossline; T grants G a read of every grantable kind)

Staff: admin@acme.test (admin), help@acme.test (support), boss@acme.test (owner).
T owns customer CT1, order OT1 and a return of it; X owns customer CX1 and order OX1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from unittest.mock import patch

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fairtree.config import Settings
from fairtree.services.access import sign_in, users
from fairtree.services.access.authorization import GRANTABLE
from fairtree.services.access.credentials import hash_password
from fairtree.services.clock import utcnow
from fairtree.store.database import session_scope
from fairtree.store.models import AccessGrant, Period
from fairtree.store.repositories.network import genealogy_history
from fairtree.store.repositories.orders.orders import record_order
from tests.factories.records import (
    add_company,
    add_plan,
    customer,
    order,
    order_line,
    product,
)
from tests.factories.records import member as new_member

PASSWORD = "correct horse battery"
JAN_5 = date(2026, 1, 5)
ACME_PLAN = """\
plan: {name: acme}
currency: USD
ranks:
  - {name: Bronze, conditions: {pv: 100}}
bonuses:
  - {id: uni, kind: unilevel, rates: ["5%", "3%"]}
"""
TREE = [("R", None), ("U3", "R"), ("U2", "U3"), ("S", "U2"), ("T", "S"), ("D", "T")]
TREE += [("X", "U3"), ("G", "U3")]
MEMBER_LOGINS = {m: m.lower() for m, _ in TREE}
STAFF = {"admin": "admin@acme.test", "support": "help@acme.test", "owner": "boss@acme.test"}


@dataclass
class World:
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)  # who -> bearer token
    member_pks: dict[str, int] = field(default_factory=dict)
    grant_id: int = 0  # T lets G read every grantable kind
    spare_grant_id: int = 0  # T lets X read orders (for revoke tests)
    token_ids: dict[str, int] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who in self.tokens else {}


def _add_sales(session: Session, pks: dict[str, int]) -> None:
    tea = product("P1", name="Tea", retail_price=2500, member_price=2000, pv=2000, bv=1500)
    session.add(tea)
    customers = {
        cid: customer(cid, pks[owner], name=f"Private {cid}", created_on=date(2026, 1, 10))
        for cid, owner in (("CT1", "T"), ("CX1", "X"))
    }
    session.add_all(customers.values())
    session.flush()
    march = date(2026, 3, 3)
    orders = [
        (order("OT1", march, pks["T"]), 3),  # T: 3 x 20 PV = 60 PV
        (order("OD1", march, pks["D"]), 2),  # D: 40 PV
        (order("OX1", march, pks["X"]), 1),
        (order("OC1", march, customer_pk=customers["CT1"].id), 1),  # T's customer: 20 PV to T
    ]
    for row, quantity in orders:
        line = order_line(tea.id, 2000, 1500, quantity=quantity, unit_price=2000)
        record_order(session, row, [line])
    refund = order(
        "RT1",
        march + timedelta(days=2),
        pks["T"],
        kind="return",
        returns_order_id=orders[0][0].id,
    )
    line = order_line(tea.id, 2000, 1500, unit_price=2000)
    record_order(session, refund, [line])  # T returns one unit: 60 + 20 - 20 = 60 PV in March


@cache
def _hash_once(password: str) -> str:
    """argon2 is slow on purpose; the world's eleven sign-ins share one real hash."""
    return hash_password(password)


def build_world(engine: Engine, settings: Settings) -> World:
    world = World(settings)
    with (
        patch("fairtree.services.access.users.hash_password", _hash_once),
        session_scope(engine) as session,
    ):
        company = add_company(session)
        session.add(
            Period(
                company_id=company.id,
                key="2026-03",
                kind="month",
                starts_on=date(2026, 3, 1),
                ends_on=date(2026, 4, 1),
                status="open",
            )
        )
        for member_id, sponsor in TREE:
            sponsor_pk = world.member_pks[sponsor] if sponsor else None
            shown = f"Name of {member_id}"
            member = new_member(member_id, sponsor_pk, joined_on=JAN_5, display_name=shown)
            session.add(member)
            session.flush()
            world.member_pks[member_id] = member.id
        # Their dated history from the day they joined, as enrolment and import write it.
        genealogy_history.record_changes(
            session, list(world.member_pks.values()), JAN_5, "enroll", "setup"
        )
        _add_sales(session, world.member_pks)
        people = {}
        for member_id in world.member_pks:
            people[member_id] = users.create_member_user(
                session, member_id, PASSWORD, email=f"{member_id.lower()}@members.test"
            )
        for role, email in STAFF.items():
            people[role] = users.create_staff_user(session, email, role, PASSWORD)
        for who, user in people.items():
            issued = sign_in.issue_api_token(session, settings, user, "tests")
            world.tokens[who], world.token_ids[who] = issued.token, issued.record.id
        world.user_ids = {who: user.id for who, user in people.items()}
        grants = [
            AccessGrant(
                owner_member_id=world.member_pks["T"],
                grantee_user_id=people[grantee].id,
                kinds=kinds,
                read_only=True,
                created_at=utcnow(),
                expires_at=utcnow() + timedelta(days=7),
            )
            for grantee, kinds in (("G", ",".join(sorted(GRANTABLE))), ("X", "orders"))
        ]
        session.add_all(grants)
        add_plan(session, company.id, ACME_PLAN, "v1", date(2026, 1, 1), sha256="0" * 64)
        world.grant_id, world.spare_grant_id = grants[0].id, grants[1].id
    return world

"""Demo sign-ins chosen so a person can see ownership at work.

From the generated network we pick a leader with a team, the leader's sponsor (an
upline), one of the leader's frontline (a downline) and a member in another line
(crossline). Passwords are random per seeding: they are printed and written to a local
file, never kept in the repository.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from fairtree.services.access.users import create_member_user, create_staff_user
from fairtree.simulation.company import Members
from fairtree.store.models import Contact
from fairtree.store.repositories.network.members import member_by_external_id
from fairtree.store.repositories.network.ranks import track_records


@dataclass(frozen=True)
class DemoSignIn:
    login: str
    role: str
    password: str
    who: str


def _descends_from(sponsor: np.ndarray, member: int, ancestor: int) -> bool:
    """Walks one chain (demo set-up, a handful of calls): is ``ancestor`` above ``member``?"""
    while member >= 0:
        if member == ancestor:
            return True
        member = int(sponsor[member])
    return False


def pick_demo_members(members: Members, leader: int | None = None) -> dict[str, int]:
    """Indices of leader, upline, downline and crossline in the generated network.

    The leader is ``leader`` when given (chosen from the closed months' records), else
    the member who recruited most."""
    sponsor = members.sponsor
    recruits = np.bincount(sponsor[sponsor >= 0], minlength=len(members))
    recruits[0] = 0  # the company's root is not a useful demo leader
    if leader is None:
        leader = int(np.argmax(recruits))
    upline = int(sponsor[leader]) if sponsor[leader] >= 0 else 0
    frontline = np.flatnonzero(sponsor == leader)
    downline = int(frontline[np.argmax(recruits[frontline])])
    crossline = next(
        int(i)
        for i in np.argsort(-recruits, kind="stable")
        if i not in (leader, upline)
        and not _descends_from(sponsor, int(i), leader)
        and not _descends_from(sponsor, leader, int(i))
    )
    return {"leader": leader, "upline": upline, "downline": downline, "crossline": crossline}


def choose_leader(session: Session, members: Members) -> int:
    """The demo leader: of the members with a team, the one paid above the entry rank in
    the most finalized months (then: paid in the most months); the top recruiter when
    no month is closed yet."""
    sponsor = members.sponsor
    team = np.bincount(sponsor[sponsor >= 0], minlength=len(members))
    index_of = {
        str(member_id): i for i, member_id in enumerate(members.member_id(np.arange(len(members))))
    }
    for member_id, months_ranked, _months_paid in track_records(session, 1, 50):
        index = index_of.get(member_id)
        if index and months_ranked and sponsor[index] >= 0 and team[index] >= 3:
            return index
    return pick_demo_members(members)["leader"]


_WHO = {
    "leader": "a leader with a team: sees their team's names, ranks and volumes only",
    "upline": "the leader's sponsor: cannot read the leader's customers or contacts",
    "downline": "on the leader's frontline",
    "crossline": "in another line of the network",
}

_DEMO_CONTACTS = (
    ("Ana Ruiz", "opted_in", "friend"),
    ("Ben Okafor", "unknown", None),
    ("Chloe Martin", "do_not_contact", "family"),
    ("Dev Patel", "opted_in", None),
)


def create_demo_sign_ins(
    session: Session, members: Members, today: date, leader: int | None = None
) -> list[DemoSignIn]:
    """Staff and member sign-ins for the demo, plus a few private contacts per member."""
    sign_ins = []
    for email, role in (("admin@demo.invalid", "admin"), ("support@demo.invalid", "support")):
        password = secrets.token_urlsafe(12)
        create_staff_user(session, email, role, password)
        sign_ins.append(DemoSignIn(email, role, password, f"company staff ({role})"))
    for label, index in pick_demo_members(members, leader).items():
        member_id = str(members.member_id(index)[0])
        password = secrets.token_urlsafe(12)
        user = create_member_user(session, member_id, password)
        sign_ins.append(DemoSignIn(user.login, "member", password, f"{label}: {_WHO[label]}"))
        member = member_by_external_id(session, member_id)
        assert member is not None
        joined = members.joined_on[index].astype("datetime64[D]").item()
        for weeks_ago, (name, consent, mark) in zip((9, 6, 3, 1), _DEMO_CONTACTS, strict=True):
            session.add(
                Contact(
                    owner_member_id=member.id,
                    name=f"{name} ({member_id}'s contact)",
                    consent=consent,
                    relationship_mark=mark,
                    # added over the past weeks, never before they joined nor after today
                    created_on=min(today, max(joined, today - timedelta(weeks=weeks_ago))),
                )
            )
    session.flush()
    return sign_ins

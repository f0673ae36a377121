"""Member-owned records for the authorization matrix: T's contacts, notes, goals and
help requests, and a policy version in force.

Routes that change state get their own record (a DELETE or a close must not remove
what the GET rows of the table read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from fairtree.services.access.principal import Principal
from fairtree.services.care import help_requests
from fairtree.services.member_data import contacts, goals, notes, policies
from fairtree.services.member_data.contacts import ContactFields
from fairtree.store.database import session_scope
from fairtree.store.models import Member
from tests.factories.world import World

POLICY_TEXT = "## 1. Returns {obligation}\nAccept returns.\n\n## 2. Online {suggestion}\nSay so.\n"


@dataclass
class MemberDataWorld:
    ids: dict[str, int]  # name -> record id

    def path_ids(self, method: str, path: str) -> dict[str, int]:
        """Values for the id placeholders of one route."""
        spare = (
            "spare_" if method == "DELETE" else "page_spare_" if path.endswith("/delete") else ""
        )
        return {
            "contact_id": self.ids[f"{spare}contact"],
            "note_id": self.ids[f"{spare}note"],
            "goal_id": self.ids["spare_goal" if spare == "spare_" else "goal"],
            "request_id": self.ids[
                "help_close" if path.endswith("/close")
                else "help_withdraw" if path.endswith("/withdraw")
                else "help"
            ],
        }  # fmt: skip


def build_member_data(engine: Engine, world: World) -> MemberDataWorld:
    ids: dict[str, int] = {}
    with session_scope(engine) as session:
        t = session.get(Member, world.member_pks["T"])
        assert t is not None
        asker = Principal(world.user_ids["T"], "t", "member", t.id, "T", "token", 0)
        for name in ("contact", "spare_contact", "page_spare_contact"):
            fields = ContactFields(name=name, consent="opted_in", email=f"{name}@example.test")
            ids[name] = contacts.add_contact(session, t, fields, date(2026, 3, 1)).id
        for name in ("note", "spare_note", "page_spare_note"):
            ids[name] = notes.add_note(session, t, f"{name} text").id
        for name in ("goal", "spare_goal"):
            ids[name] = goals.add_goal(
                session, t, name, "personal_volume", "100", date(2026, 3, 1), date(2026, 3, 31)
            ).id
        for name in ("help", "help_close", "help_withdraw"):
            ids[name] = help_requests.ask(session, asker, t, "sponsor", None, name, "please").id
        policies.publish(session, None, "v1", date(2026, 1, 1), POLICY_TEXT, "first version")
    return MemberDataWorld(ids)


def member_data_body(method: str, path: str, serial: int, who: str) -> dict | None:
    """Request bodies of the member-data routes (valid, so the table shows authorization)."""
    bodies: dict[tuple[str, str], dict] = {
        ("POST", "/members/{member_id}/contacts"): {"name": "New", "consent": "unknown"},
        ("PATCH", "/members/{member_id}/contacts/{contact_id}"): {"consent": "opted_in"},
        ("POST", "/members/{member_id}/customers"): {"name": "New", "country": "US"},
        ("PATCH", "/members/{member_id}/customers/{customer_id}"): {"name": "Renamed"},
        ("POST", "/members/{member_id}/notes"): {"body": "new note"},
        ("POST", "/members/{member_id}/goals"): {
            "title": "g", "metric": "retail_customers", "target": "3",
            "starts_on": "2026-03-01", "due_on": "2026-12-31",
        },
        ("POST", "/help/requests"): {"helper_kind": "company", "subject": "s", "body": "b"},
        ("POST", "/help/requests/{request_id}/messages"): {"body": "reply"},
        ("PUT", "/me/mentoring"): {"topics": ["taxes"]},
        ("POST", "/admin/policies"): {
            "version": f"matrix-{who}-{serial}", "effective_from": "2026-01-01",
            "text": POLICY_TEXT, "reason": "authorization matrix",
        },
        ("POST", "/me/close"): {"password": "wrong password!", "confirm": "close my account"},
    }  # fmt: skip
    return bodies.get((method, path))

"""Who is asking: the signed-in user behind a request, or nobody."""

from __future__ import annotations

from dataclasses import dataclass

from fairtree.store.models.accounts import STAFF_ROLES


@dataclass(frozen=True)
class Principal:
    """A signed-in user. ``via`` says which credential proved it (session or token)."""

    user_id: int
    login: str
    role: str  # member, owner, admin or support
    member_pk: int | None
    member_id: str | None
    via: str  # "session" or "token"
    credential_id: int

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def label(self) -> str:
        """How audit and access logs name this reader."""
        return f"{self.role}:{self.login}"

"""Who is acting: a name for the records and a role for the permission checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fairtree.errors import PermissionDeniedError


class Role(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"


@dataclass(frozen=True)
class Actor:
    """The person or process behind a change; ``name`` goes into history and audit rows."""

    name: str
    role: Role


# The CLI runs on the operator's own machine, with the company's administrative rights.
LOCAL_OPERATOR = Actor("local-operator", Role.ADMIN)


def require_admin(actor: Actor, action: str) -> None:
    """Refuse ``action`` unless ``actor`` is a company administrator."""
    if actor.role is not Role.ADMIN:
        raise PermissionDeniedError(
            f"{action}: {actor.name!r} has role {actor.role.value!r}; only an admin may do this"
        )

"""Who changes the network: a signed-in principal, or None for the local operator (CLI).

Structural changes (moves, terminations) are for company administrators: principals
with role ``owner`` or ``admin``. The local operator runs fairtree on the company's own
machine and holds those rights.
"""

from __future__ import annotations

from fairtree.errors import PermissionDeniedError
from fairtree.services.access.principal import Principal

ADMIN_ROLES = ("owner", "admin")
LOCAL_OPERATOR = "local-operator"


def actor_label(actor: Principal | None) -> str:
    """How history rows name the actor (``role:login``, or the local operator)."""
    return actor.label[:64] if actor is not None else LOCAL_OPERATOR


def require_admin(actor: Principal | None, action: str) -> None:
    """Refuse ``action`` unless ``actor`` is a company administrator or the local operator."""
    if actor is not None and actor.role not in ADMIN_ROLES:
        raise PermissionDeniedError(
            f"{action}: {actor.label!r} has role {actor.role!r}; only an admin may do this"
        )

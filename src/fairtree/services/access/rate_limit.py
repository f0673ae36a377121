"""Login rate limiting, stored in the database so it holds across processes.

A sign-in is refused (before the password is even checked) when the account or the
client address has too many failed attempts inside the window; a success on an
account clears its count.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from fairtree.config import Settings
from fairtree.services.clock import utcnow
from fairtree.store.repositories.access import accounts as accounts_repo


def attempt_keys(login: str, address: str) -> list[tuple[str, str]]:
    return [("account", login), ("address", address)]


def is_limited(session: Session, settings: Settings, login: str, address: str) -> bool:
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    if (
        accounts_repo.recent_failures(session, "account", login, since)
        >= settings.login_failures_per_account
    ):
        return True
    return (
        accounts_repo.recent_failures(session, "address", address, since)
        >= settings.login_failures_per_address
    )


def record_attempt(
    session: Session, settings: Settings, login: str, address: str, ok: bool
) -> None:
    """Record one attempt; older attempts of the same keys are dropped as they age out."""
    now = utcnow()
    keys = [("account", login)] if ok else attempt_keys(login, address)
    accounts_repo.prune_attempts(
        session, keys, now - timedelta(seconds=settings.login_window_seconds)
    )
    accounts_repo.add_attempts(session, keys, ok, now)

"""Sign-in throttling that stops guessing without letting a stranger lock the owner out.

Attempts are stored in the database (so the limits hold across processes) under three
keys: the account, the client address, and the pair (a digest of both). Before a
password is checked, ``wait_seconds`` says how long this address must still wait for
this account (0: go ahead):

- **address**: more than ``login_failures_per_address`` failures from one address in the
  window (any accounts) and that address waits out the window;
- **pair**: the first ``login_free_failures_per_pair`` failures from one address on one
  account are free; after that each try waits ``login_first_delay_seconds`` doubled per
  further failure, at most ``login_max_delay_seconds``, counted from the last failure;
- **account**: after ``login_failures_per_account`` failures on the account in the window
  from any addresses, addresses where the account never signed in (in the last
  ``login_known_address_days``) wait the same growing delay; an address where the owner
  signed in before is not slowed by anyone else's failures. The owner gets one mail
  when the account count is reached.

So guessing from one address slows to a crawl, guessing from many addresses is slowed
per account, and the owner, on an address they used before, can always sign in. A
success clears its pair's and account's counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fairtree.config import Settings
from fairtree.services.clock import aware, utcnow
from fairtree.store.repositories.access import accounts as accounts_repo


def pair_key(login: str, address: str) -> str:
    """The key of one account seen from one address (no login or address stored in it)."""
    return hashlib.sha256(f"{login}\n{address}".encode()).hexdigest()


def growing_delay(settings: Settings, failures_over: int) -> int:
    """Seconds to wait after ``failures_over`` failures beyond the free ones (>= 1)."""
    exponent = min(failures_over - 1, 30)
    return min(settings.login_first_delay_seconds * 2**exponent, settings.login_max_delay_seconds)


def _still_to_wait(last: datetime | None, delay: int, now: datetime) -> int:
    if last is None:
        return 0
    ready = aware(last) + timedelta(seconds=delay)
    return max(0, int((ready - now).total_seconds() + 0.999))


def wait_seconds(session: Session, settings: Settings, login: str, address: str) -> int:
    """How long this address must still wait before trying this account (0: now)."""
    now = utcnow()
    since = now - timedelta(seconds=settings.login_window_seconds)
    waits = [0]
    by_address, _ = accounts_repo.recent_failures(session, "address", address, since)
    if by_address >= settings.login_failures_per_address:
        waits.append(settings.login_window_seconds)
    pair = pair_key(login, address)
    by_pair, last_pair = accounts_repo.recent_failures(session, "pair", pair, since)
    over = by_pair - settings.login_free_failures_per_pair
    if over >= 0:
        waits.append(_still_to_wait(last_pair, growing_delay(settings, over + 1), now))
    by_account, last_account = accounts_repo.recent_failures(session, "account", login, since)
    over = by_account - settings.login_failures_per_account
    if over >= 0:
        known_since = now - timedelta(days=settings.login_known_address_days)
        if not accounts_repo.succeeded_since(session, "pair", pair, known_since):
            waits.append(_still_to_wait(last_account, growing_delay(settings, over + 1), now))
    return max(waits)


def record_attempt(
    session: Session,
    settings: Settings,
    login: str,
    address: str,
    ok: bool,
    tell_owner: Callable[[int], None] | None = None,
) -> None:
    """Record one attempt under its keys; old failures age out, a pair's successes are
    kept ``login_known_address_days`` (they make the address known). ``tell_owner`` is
    called with the count when the account's failures reach the per-account number."""
    now = utcnow()
    pair = pair_key(login, address)
    keys = (
        [("account", login), ("pair", pair)]
        if ok
        else [
            ("account", login),
            ("address", address),
            ("pair", pair),
        ]
    )
    window_start = now - timedelta(seconds=settings.login_window_seconds)
    accounts_repo.prune_attempts(session, keys, window_start, keep_successes_of="pair")
    accounts_repo.prune_successes(
        session, "pair", pair, now - timedelta(days=settings.login_known_address_days)
    )
    accounts_repo.add_attempts(session, keys, ok, now)
    if not ok and tell_owner is not None:
        failures, _ = accounts_repo.recent_failures(session, "account", login, window_start)
        if failures == settings.login_failures_per_account:
            tell_owner(failures)

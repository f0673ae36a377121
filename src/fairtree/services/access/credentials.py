"""Passwords and opaque tokens: how secrets are made, stored and checked.

Passwords are argon2id hashes with the OWASP Password Storage Cheat Sheet's first
configuration (``_hasher``). Session, API and reset tokens
are 256-bit random strings; only their SHA-256 digest is stored, which is enough for
high-entropy tokens (no salt or slow hash needed) and lets a lookup use an index.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fairtree.errors import Problem, ValidationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # argon2 hashes anything, but a megabyte password is an attack

# argon2id, 19 MiB, 2 passes, 1 lane: the configuration the OWASP Password Storage Cheat
# Sheet recommends (its first of five it rates equally strong). argon2-cffi's default,
# RFC 9106's low-memory profile (64 MiB, 3 passes, 4 lanes), costs 7.6 times the CPU:
# 131 ms against 17 ms a verification on the 2-core machine of bench/README.md ("fairtree
# bench api"), so a burst of 200 sign-ins took 26 CPU seconds instead of 3.5 and timed out.
# Online guessing is stopped by the throttle (rate_limit), not by the hash; the hash's
# cost is what an attacker with a stolen database pays per guess, where OWASP's setting
# is the recommended floor. Hashes made with other parameters still verify (argon2
# stores them in the hash).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# A burst of sign-ins runs at most one hash per core of this process at a time; the rest
# wait their turn, so the other requests of the process keep their share of the CPU and
# the process does not hold a hash's memory per request thread.
_HASHES_AT_ONCE = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
# A fixed hash to verify against when the account does not exist, so timing does not
# tell whether a login name is known.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short or absurdly long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        reason = f"must be at least {MIN_PASSWORD_LENGTH} characters"
    elif len(password) > MAX_PASSWORD_LENGTH:
        reason = f"must be at most {MAX_PASSWORD_LENGTH} characters"
    else:
        return
    raise ValidationError([Problem("request", "", "password", reason)])


def hash_password(password: str) -> str:
    check_password_rules(password)
    with _HASHES_AT_ONCE:
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always spends the same argon2 work."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        with _HASHES_AT_ONCE:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str) -> str:
    """A fresh opaque token, e.g. ``fts_...`` for sessions, ``ftk_...`` for API keys."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def token_digest(token: str) -> str:
    """The stored form of a token: hex SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))

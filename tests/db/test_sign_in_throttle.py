"""Sign-in throttling stops guessing without letting a stranger lock the owner out:
growing delays per account and address, a cap per address, the owner told by mail, and
an address where the owner signed in before never slowed by others' failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fairtree.config import Settings
from fairtree.services.access.mail import MemoryMailBackend
from fairtree.services.access.rate_limit import pair_key
from fairtree.services.access.sign_in import TooManyAttemptsError, check_credentials
from fairtree.services.access.users import create_member_user
from fairtree.services.clock import aware, utcnow
from fairtree.store.models import LoginAttempt
from tests.factories import seed_company

PASSWORD = "correct horse battery staple"
HOME = "192.0.2.10"


@pytest.fixture
def owner(session: Session) -> str:
    seed_company(session)
    user = create_member_user(session, "A", PASSWORD, email="a@example.test")
    return user.login


def _try(session: Session, settings: Settings, login: str, password: str, address: str,
         mail: MemoryMailBackend | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
    return check_credentials(session, settings, login, password, address, mail)


def _age(session: Session, login: str, address: str, seconds: int) -> None:
    """Move this pair's and account's attempts ``seconds`` into the past."""
    for kind, key in (("pair", pair_key(login, address)), ("account", login)):
        rows = session.execute(
            select(LoginAttempt.id, LoginAttempt.attempted_at).where(
                LoginAttempt.key_kind == kind, LoginAttempt.key == key
            )
        ).all()
        for row_id, at in rows:
            session.execute(
                update(LoginAttempt)
                .where(LoginAttempt.id == row_id)
                .values(attempted_at=aware(at) - timedelta(seconds=seconds))
            )


def test_a_stranger_cannot_lock_the_owner_out(session: Session, owner: str) -> None:
    settings = Settings(login_first_delay_seconds=60)  # longer than a password check takes
    mail = MemoryMailBackend()
    assert _try(session, settings, owner, PASSWORD, HOME) is not None  # HOME is now known
    slowed = 0
    for n in range(40):  # a botnet: forty addresses, one guess each
        try:
            assert _try(session, settings, owner, "guess", f"203.0.113.{n}", mail) is None
        except TooManyAttemptsError:
            slowed += 1
    assert slowed >= 40 - settings.login_failures_per_account - 1  # the botnet is slowed
    # A new address waits (a growing delay, never a lock), even with the right password...
    with pytest.raises(TooManyAttemptsError) as waited:
        _try(session, settings, owner, PASSWORD, "198.51.100.7")
    assert 0 < waited.value.retry_after <= settings.login_max_delay_seconds
    # ...while the owner at home signs in as usual.
    assert _try(session, settings, owner, PASSWORD, HOME) is not None
    # The owner was told once, when the failures reached the per-account number.
    assert [m["To"] for m in mail.sent] == ["a@example.test"]
    assert "not locked" in mail.sent[0].get_content()


def test_guessing_from_one_address_meets_growing_delays(session: Session, owner: str) -> None:
    settings = Settings(login_failures_per_account=1000, login_first_delay_seconds=60)
    guesser = "203.0.113.50"
    for _ in range(settings.login_free_failures_per_pair):
        assert _try(session, settings, owner, "guess", guesser) is None
    waits = []
    for _ in range(4):
        with pytest.raises(TooManyAttemptsError) as waited:
            _try(session, settings, owner, "guess", guesser)
        waits.append(waited.value.retry_after)
        _age(session, owner, guesser, waited.value.retry_after)  # the wait passes
        assert _try(session, settings, owner, "guess", guesser) is None  # another failure
    assert waits == [60, 120, 240, 480]
    # Another address is not slowed by this one's failures on the same account.
    assert _try(session, settings, owner, PASSWORD, "192.0.2.99") is not None


def test_delays_are_capped_and_a_success_clears_them(session: Session, owner: str) -> None:
    settings = Settings(login_failures_per_account=1000, login_max_delay_seconds=60)
    guesser = "203.0.113.60"
    now = utcnow()
    session.add_all(
        LoginAttempt(key_kind="pair", key=pair_key(owner, guesser), succeeded=False,
                     attempted_at=now)
        for _ in range(20)
    )  # fmt: skip
    session.flush()
    with pytest.raises(TooManyAttemptsError) as waited:
        _try(session, settings, owner, PASSWORD, guesser)
    assert waited.value.retry_after == 60
    _age(session, owner, guesser, 61)
    assert _try(session, settings, owner, PASSWORD, guesser) is not None
    assert _try(session, settings, owner, "guess", guesser) is None  # counting starts again


def test_an_address_over_its_cap_waits_out_the_window(session: Session, owner: str) -> None:
    settings = Settings(login_failures_per_address=5)
    for n in range(5):
        assert _try(session, settings, f"nobody{n}", "guess", "203.0.113.70") is None
    with pytest.raises(TooManyAttemptsError) as waited:
        _try(session, settings, owner, PASSWORD, "203.0.113.70")
    assert waited.value.retry_after == settings.login_window_seconds
    assert _try(session, settings, owner, PASSWORD, HOME) is not None

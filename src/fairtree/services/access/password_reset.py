"""Password reset by a one-time, expiring token sent by mail.

Asking for a reset answers the same whether or not the login exists (no account
probing), and mails at most a few tokens per account per window. Using the token
sets the new password, burns the token and revokes every session and API token of
the account.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from fairtree.config import Settings
from fairtree.errors import Problem, ValidationError
from fairtree.services.access.credentials import check_password_rules, new_token, token_digest
from fairtree.services.access.mail import MailBackend
from fairtree.services.access.sign_in import normalize_login, set_password
from fairtree.services.clock import aware, utcnow
from fairtree.store.models import PasswordResetToken
from fairtree.store.repositories.access import accounts as accounts_repo

RESET_PREFIX = "ftr"
# At most this many reset mails per account per rate-limit window, so the form
# cannot be used to flood someone's mailbox.
RESETS_PER_WINDOW = 3


def request_reset(session: Session, settings: Settings, mail: MailBackend, login: str) -> None:
    user = accounts_repo.user_by_login(session, normalize_login(login))
    if user is None or user.disabled or not user.email:
        return
    now = utcnow()
    since = now - timedelta(seconds=settings.login_window_seconds)
    if accounts_repo.reset_tokens_since(session, user.id, since) >= RESETS_PER_WINDOW:
        return
    token = new_token(RESET_PREFIX)
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.reset_token_minutes),
        )
    )
    session.flush()
    mail.send(
        user.email,
        "Reset your fairtree password",
        "Someone asked to reset the password of your fairtree sign-in.\n\n"
        f"Your reset token (valid {settings.reset_token_minutes} minutes, usable once):\n\n"
        f"    {token}\n\n"
        "If this was not you, ignore this message; your password stays as it is.\n",
    )


def confirm_reset(session: Session, token: str, new_password: str) -> None:
    check_password_rules(new_password)
    invalid = ValidationError([Problem("request", "", "token", "is invalid or expired")])
    row = accounts_repo.reset_token_by_digest(session, token_digest(token))
    if row is None or row.used_at is not None or aware(row.expires_at) <= utcnow():
        raise invalid
    if not accounts_repo.consume_reset_token(session, row.id, utcnow()):
        raise invalid
    user = accounts_repo.user_by_id(session, row.user_id)
    if user is None or user.disabled:
        raise invalid
    set_password(session, user, new_password)

"""A sign-in hands its pooled connection back while the password is hashed, so many
sign-ins at once do not hold every connection of the pool through argon2."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from fairtree.config import Settings
from fairtree.services.access import sign_in
from fairtree.services.access.users import create_member_user
from fairtree.store.database import make_engine
from fairtree.store.migrate import upgrade
from tests.factories import seed_company

PASSWORD = "correct horse battery staple"


def test_the_connection_is_back_in_the_pool_while_hashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'signin.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        seed_company(session)
        login = create_member_user(session, "A", PASSWORD).login
    checked_out: list[int] = []
    verify = sign_in.verify_password

    def watching(stored: str | None, password: str) -> bool:
        checked_out.append(engine.pool.checkedout())  # type: ignore[attr-defined]
        return verify(stored, password)

    monkeypatch.setattr(sign_in, "verify_password", watching)
    for password, signed_in in ((PASSWORD, True), ("wrong", False)):
        with Session(engine) as session:  # as a request's session: begun by its first read
            user = sign_in.check_credentials(session, Settings(), login, password, "192.0.2.1")
            assert (user is not None) == signed_in
            if user is not None:
                assert user.login == login  # the user reads again after the release
            session.commit()
    assert checked_out == [0, 0]
    engine.dispose()

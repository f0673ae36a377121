"""Sign-in: sessions with CSRF, bearer tokens, revocation, password change and reset,
rate limiting that holds across app instances."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from fairtree.api.app import create_app
from fairtree.config import Settings
from fairtree.services.access.mail import MemoryMailBackend
from fairtree.services.clock import utcnow
from fairtree.store.models import ApiToken, AuthSession, LoginAttempt, PasswordResetToken, User
from tests.factories import PASSWORD, World


def _login(client: TestClient, login: str, password: str = PASSWORD):
    return client.post("/auth/login", json={"login": login, "password": password})


def test_health_reports_version_and_database(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "0.1.0", "database": "ok"}


def test_login_sets_a_secure_httponly_lax_cookie_and_returns_a_csrf_token(
    client: TestClient, world: World
) -> None:
    response = _login(client, "T")
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {"login": "t", "role": "member", "member_id": "T", "via": "session"}
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("fairtree_session="))
    assert "HttpOnly" in session_cookie
    assert "Secure" in session_cookie
    assert "SameSite=lax" in session_cookie
    assert len(body["csrf_token"]) > 40
    assert client.get("/auth/me").json()["member_id"] == "T"


def test_unsafe_method_with_a_cookie_session_needs_the_csrf_token(
    client: TestClient, world: World
) -> None:
    csrf = _login(client, "T").json()["csrf_token"]
    refused = client.post("/auth/logout")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    wrong = client.post("/auth/logout", headers={"X-CSRF-Token": csrf + "x"})
    assert wrong.status_code == 403
    assert client.post("/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/auth/me").status_code == 401


def test_wrong_password_and_unknown_login_get_the_same_answer(
    client: TestClient, world: World
) -> None:
    wrong = _login(client, "T", "not the password")
    unknown = _login(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_bearer_token_works_and_revoking_it_stops_it(client: TestClient, world: World) -> None:
    issued = client.post(
        "/auth/tokens", json={"login": "t", "password": PASSWORD, "name": "laptop"}
    )
    assert issued.status_code == 201
    token = issued.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/auth/me", headers=headers).json()["via"] == "token"
    listed = client.get("/auth/tokens", headers=headers).json()
    assert {t["name"] for t in listed} == {"tests", "laptop"}
    revoke = client.delete(f"/auth/tokens/{issued.json()['id']}", headers=headers)
    assert revoke.status_code == 204
    assert client.get("/auth/me", headers=headers).status_code == 401


def test_tokens_are_stored_only_as_digests(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    with Session(committing_engine) as session:
        stored = set(session.scalars(select(ApiToken.token_hash)))
        hashes = set(session.scalars(select(User.password_hash)))
    assert world.tokens["T"] not in stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in stored)
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_password_change_revokes_every_session_and_token(client: TestClient, world: World) -> None:
    csrf = _login(client, "T").json()["csrf_token"]
    headers = world.auth("T")
    change = client.post(
        "/auth/password",
        json={"current_password": PASSWORD, "new_password": "a brand new secret"},
        headers={"X-CSRF-Token": csrf},
    )
    assert change.status_code == 204
    assert client.get("/auth/me", headers=headers).status_code == 401
    client.cookies.clear()
    assert _login(client, "T").status_code == 401
    assert _login(client, "T", "a brand new secret").status_code == 200


def test_password_reset_by_mailed_one_time_token(
    client: TestClient, world: World, mail: MemoryMailBackend
) -> None:
    assert client.post("/auth/password-reset", json={"login": "nobody"}).status_code == 202
    assert mail.sent == []
    assert client.post("/auth/password-reset", json={"login": "T"}).status_code == 202
    assert [m["To"] for m in mail.sent] == ["t@members.test"]
    token = re.findall(r"ftr_\S+", mail.sent[0].get_content())[0]
    confirm = {"token": token, "new_password": "reset to this one"}
    assert client.post("/auth/password-reset/confirm", json=confirm).status_code == 204
    again = client.post("/auth/password-reset/confirm", json=confirm)
    assert again.status_code == 422
    assert again.json()["problems"][0]["field"] == "token"
    assert client.get("/auth/me", headers=world.auth("T")).status_code == 401
    assert _login(client, "T", "reset to this one").status_code == 200


def test_outbox_backend_writes_eml_files(
    committing_engine: Engine, settings: Settings, world: World
) -> None:
    app = create_app(settings, engine=committing_engine)
    with TestClient(app, base_url="https://testserver") as client:
        assert client.post("/auth/password-reset", json={"login": "D"}).status_code == 202
    files = list(settings.outbox_dir.glob("*.eml"))
    assert len(files) == 1
    assert "To: d@members.test" in files[0].read_text()


def test_growing_delays_per_account_and_address_hold_across_app_instances(
    committing_engine: Engine, settings: Settings, world: World
) -> None:
    first = create_app(settings, engine=committing_engine)
    second = create_app(settings, engine=committing_engine)
    with TestClient(first, base_url="https://testserver") as a:
        for _ in range(settings.login_free_failures_per_pair):
            assert _login(a, "D", "wrong password!").status_code == 401
    with TestClient(second, base_url="https://testserver") as b:
        slowed = _login(b, "D")  # this address must now wait before trying D again
        assert slowed.status_code == 429
        assert slowed.headers["Retry-After"] == str(settings.login_first_delay_seconds)
        assert _login(b, "T").status_code == 200  # other accounts are not affected


def test_login_rate_limit_per_address(
    committing_engine: Engine, settings: Settings, world: World
) -> None:
    tight = Settings(
        database_url=settings.database_url,
        login_failures_per_account=100,
        login_failures_per_address=3,
    )
    app = create_app(tight, engine=committing_engine)
    with TestClient(app, base_url="https://testserver") as client:
        for login in ("a1", "a2", "a3"):
            assert _login(client, login, "wrong password!").status_code == 401
        assert _login(client, "T").status_code == 429


def test_expired_sessions_tokens_and_reset_tokens_are_refused(
    client: TestClient, world: World, mail: MemoryMailBackend, committing_engine: Engine
) -> None:
    _login(client, "T")
    assert client.get("/auth/me").status_code == 200
    client.post("/auth/password-reset", json={"login": "T"})
    token = re.findall(r"ftr_\S+", mail.sent[0].get_content())[0]
    past = utcnow() - timedelta(seconds=1)
    with Session(committing_engine) as session, session.begin():
        session.execute(update(AuthSession).values(expires_at=past))
        session.execute(update(ApiToken).values(expires_at=past))
        session.execute(update(PasswordResetToken).values(expires_at=past))
    assert client.get("/auth/me").status_code == 401
    assert client.get("/auth/me", headers=world.auth("T")).status_code == 401
    confirm = {"token": token, "new_password": "too late for this"}
    assert client.post("/auth/password-reset/confirm", json=confirm).status_code == 422


def test_disabled_sign_in_cannot_sign_in_or_use_its_token(
    client: TestClient, world: World, committing_engine: Engine
) -> None:
    with Session(committing_engine) as session, session.begin():
        session.execute(update(User).where(User.login == "t").values(disabled=True))
    assert client.get("/auth/me", headers=world.auth("T")).status_code == 401
    assert _login(client, "T").status_code == 401


def test_sign_out_everywhere_ends_every_session_and_token(client: TestClient, world: World) -> None:
    other = client.post("/auth/tokens", json={"login": "t", "password": PASSWORD, "name": "phone"})
    phone = {"Authorization": f"Bearer {other.json()['token']}"}
    assert client.post("/auth/sign-out-everywhere", headers=world.auth("T")).status_code == 204
    assert client.get("/auth/me", headers=phone).status_code == 401
    assert client.get("/auth/me", headers=world.auth("T")).status_code == 401
    assert client.get("/auth/me", headers=world.auth("D")).status_code == 200


def test_cookie_session_member_writes_need_the_csrf_token(client: TestClient, world: World) -> None:
    csrf = _login(client, "T").json()["csrf_token"]
    assert client.cookies.get("fairtree_csrf") == csrf
    body = {"grantee_login": "D", "kinds": ["goals"], "days": 1}
    refused = client.post("/members/T/grants", json=body)
    assert refused.status_code == 403
    assert client.get("/members/T/grants").status_code == 200  # reads need no token
    made = client.post("/members/T/grants", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201
    grant_id = made.json()["id"]
    assert client.delete(f"/members/T/grants/{grant_id}").status_code == 403
    deleted = client.delete(f"/members/T/grants/{grant_id}", headers={"X-CSRF-Token": csrf})
    assert deleted.status_code == 204


def test_attempts_older_than_the_window_are_forgotten(
    client: TestClient, world: World, committing_engine: Engine, settings: Settings
) -> None:
    old = utcnow() - timedelta(seconds=settings.login_window_seconds + 60)
    with Session(committing_engine) as session, session.begin():
        session.add_all(
            LoginAttempt(key_kind="account", key="d", succeeded=False, attempted_at=old)
            for _ in range(settings.login_failures_per_account)
        )
    assert _login(client, "D").status_code == 200  # old failures do not count
    with Session(committing_engine) as session:
        ages = session.scalars(select(LoginAttempt.attempted_at)).all()
    assert len(ages) == 2  # the old rows were pruned; this success is kept (account, pair)


def test_reset_mails_are_limited_per_account(
    client: TestClient, world: World, mail: MemoryMailBackend
) -> None:
    for _ in range(5):
        assert client.post("/auth/password-reset", json={"login": "T"}).status_code == 202
    assert len(mail.sent) == 3

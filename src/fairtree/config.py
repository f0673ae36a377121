"""Runtime settings, read once from the environment.

The embedded SQLite file is the default so a fresh clone runs with no server to install;
``FAIRTREE_DATABASE_URL`` switches to PostgreSQL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///var/fairtree.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # A read replica of the database for heavy reads (statements); None: the primary.
    read_database_url: str | None = None
    outbox_dir: Path = field(default_factory=lambda: Path("var/outbox"))
    max_request_bytes: int = 1_000_000
    # Sign-in. Cookies are Secure unless turned off for plain-http local use.
    cookie_secure: bool = True
    session_hours: int = 12
    api_token_days: int = 90
    reset_token_minutes: int = 30
    # Sign-in throttling (docs/api.md): per address, a hard cap in the window; per account
    # and address, free tries then growing delays; per account, the owner is told by mail
    # and addresses where they never signed in wait too. Nobody is ever locked out.
    login_window_seconds: int = 900
    login_failures_per_account: int = 5
    login_failures_per_address: int = 30
    login_free_failures_per_pair: int = 3
    login_first_delay_seconds: int = 2  # doubles with each further failure
    login_max_delay_seconds: int = 900
    login_known_address_days: int = 90
    # Background jobs (close, what-if): run by a thread of the server, unless a separate
    # ``fairtree worker`` runs them (FAIRTREE_RUN_JOBS=false on the server then).
    run_jobs: bool = True
    # Plan-test cases the console can run a stored plan version on: <name>/cases/*.yaml.
    plan_cases_dir: Path = field(default_factory=lambda: Path("plans"))

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("FAIRTREE_DATABASE_URL") or DEFAULT_DATABASE_URL,
            read_database_url=os.environ.get("FAIRTREE_READ_DATABASE_URL") or None,
            outbox_dir=Path(os.environ.get("FAIRTREE_OUTBOX_DIR", "var/outbox")),
            max_request_bytes=int(os.environ.get("FAIRTREE_MAX_REQUEST_BYTES", "1000000")),
            cookie_secure=os.environ.get("FAIRTREE_COOKIE_SECURE", "true").lower() != "false",
            run_jobs=os.environ.get("FAIRTREE_RUN_JOBS", "true").lower() != "false",
            plan_cases_dir=Path(os.environ.get("FAIRTREE_PLAN_CASES_DIR", "plans")),
        )

    @property
    def is_embedded(self) -> bool:
        """True for the SQLite file default (where demo seeding is allowed)."""
        return self.database_url.startswith("sqlite")

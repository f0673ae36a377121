"""Runtime settings, read once from the environment.

The embedded SQLite file is the default so a fresh clone runs with no server to install;
``FAIRTREE_DATABASE_URL`` switches to PostgreSQL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from fairtree.store.database import database_url


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=database_url)
    outbox_dir: Path = field(default_factory=lambda: Path("var/outbox"))
    max_request_bytes: int = 1_000_000

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=database_url(),
            outbox_dir=Path(os.environ.get("FAIRTREE_OUTBOX_DIR", "var/outbox")),
            max_request_bytes=int(os.environ.get("FAIRTREE_MAX_REQUEST_BYTES", "1000000")),
        )

    @property
    def is_embedded(self) -> bool:
        """True for the SQLite file default (where demo seeding is allowed)."""
        return self.database_url.startswith("sqlite")

"""The demo company: a synthetic network loaded through the real import path.

It goes through the same checks as any dataset (generate -> write folder -> import), so
the demo shows exactly what a real company would see, and seeding is deterministic.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from fairtree.services.datasets import DatasetCounts, import_dataset
from fairtree.services.demo.books import DemoBooks, keep_demo_books
from fairtree.services.demo.people import DemoSignIn, create_demo_sign_ins, pick_demo_members
from fairtree.services.progress import NoProgress, Progress
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.repositories.bulk.load import database_is_empty


@dataclass(frozen=True)
class DemoShape:
    """How big the demo company is; the defaults fill a back office without waiting."""

    members: int = 3000
    months: int = 6
    seed: int = 2026
    last_month: date | None = None  # the demo's last month; default: the current month

    def first_day(self) -> date:
        """First day of the demo: ``months`` months ending with ``last_month``."""
        last = self.last_month or date.today()
        index = last.year * 12 + last.month - 1 - (self.months - 1)
        return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class DemoSeeded:
    """What seeding produced: row counts and the sign-ins a person can use."""

    counts: DatasetCounts
    sign_ins: list[DemoSignIn]
    books: DemoBooks | None  # None for a demo shorter than three months


def seed_demo(
    session: Session, shape: DemoShape | None = None, progress: Progress | None = None
) -> DemoSeeded:
    """Generate and import the demo company into an empty database (no commit)."""
    shape = shape or DemoShape()
    progress = progress or NoProgress()
    progress.stage("generating demo company", None)
    company = generate(shape.members, shape.months, shape.seed, start=shape.first_day())
    with tempfile.TemporaryDirectory(prefix="fairtree-demo-") as folder:
        write_dataset(company, Path(folder))
        counts = import_dataset(session, Path(folder), progress)
    last_day = (company.end - np.timedelta64(1, "D")).astype("datetime64[D]").item()
    sign_ins = create_demo_sign_ins(session, company.members, last_day)
    books = None
    if shape.months >= 3:
        progress.stage("closing the demo's past months", None)
        leader = pick_demo_members(company.members)["leader"]
        buyer = str(company.members.member_id(leader)[0])
        books = keep_demo_books(session, shape.first_day(), shape.months, buyer)
    return DemoSeeded(counts, sign_ins, books)


def seed_demo_if_empty(
    session: Session, shape: DemoShape | None = None, progress: Progress | None = None
) -> DemoSeeded | None:
    """Seed only a database with no company in it; ``None`` when it already had one."""
    if not database_is_empty(session):
        return None
    return seed_demo(session, shape, progress)

"""The demo company: a synthetic network loaded through the real import path.

It goes through the same checks as any dataset (generate -> write folder -> import), so
the demo shows exactly what a real company would see, and seeding is deterministic.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from fairtree.services.datasets import DatasetCounts, import_dataset
from fairtree.services.demo.books import DemoBooks, keep_demo_books
from fairtree.services.demo.cut import as_of
from fairtree.services.demo.people import (
    DemoSignIn,
    choose_leader,
    create_demo_sign_ins,
)
from fairtree.services.demo.policies import publish_demo_policies
from fairtree.services.progress import NoProgress, Progress
from fairtree.simulation.company import SyntheticCompany
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.repositories.bulk.load import database_is_empty


@dataclass(frozen=True)
class DemoShape:
    """How big the demo company is; the defaults fill a back office without waiting."""

    members: int = 3000
    months: int = 14  # 13 finalized months (a year of statements) and the current one
    seed: int = 2026
    today: date | None = None  # the day it is seeded: nothing is dated after it

    def seeded_on(self) -> date:
        return self.today or date.today()

    def first_day(self) -> date:
        """First day of the demo: ``months`` months ending with the month of ``today``."""
        last = self.seeded_on()
        index = last.year * 12 + last.month - 1 - (self.months - 1)
        return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class DemoSeeded:
    """What seeding produced: row counts and the sign-ins a person can use."""

    counts: DatasetCounts
    sign_ins: list[DemoSignIn]
    books: DemoBooks | None  # None for a demo shorter than three months


def _generate_until(shape: DemoShape, today: date) -> SyntheticCompany:
    """``shape.members`` members who all joined by ``today``, with nothing dated later.

    The generator spreads joins over whole months, the current one included; it is asked
    for more members until enough of them have joined by today, and the first
    ``shape.members`` to join are kept (deterministic for a seed and a day)."""
    asked = shape.members
    for _ in range(6):
        generated = generate(asked, shape.months, shape.seed, start=shape.first_day())
        joined = int((generated.members.joined_on <= np.datetime64(today, "D")).sum())
        if joined >= shape.members:
            break
        asked = math.ceil(asked * shape.members / max(joined, 1) * 1.05) + 1
    return as_of(generated, today, max_members=shape.members)


def seed_demo(
    session: Session, shape: DemoShape | None = None, progress: Progress | None = None
) -> DemoSeeded:
    """Generate and import the demo company into an empty database (no commit)."""
    shape = shape or DemoShape()
    progress = progress or NoProgress()
    progress.stage("generating demo company", None)
    today = shape.seeded_on()
    company = _generate_until(shape, today)
    with tempfile.TemporaryDirectory(prefix="fairtree-demo-") as folder:
        write_dataset(company, Path(folder))
        counts = import_dataset(session, Path(folder), progress)
    publish_demo_policies(session, shape.first_day())
    books = None
    leader: int | None = None
    if shape.months >= 3:
        progress.stage("closing the demo's past months", None)

        def leaders_frontline_buys(session: Session, day: date) -> str:
            # the late order is the leader's frontline's: the leader's pay is corrected
            nonlocal leader
            leader = choose_leader(session, company.members)
            members = company.members
            frontline = np.flatnonzero(
                (members.sponsor == leader) & (members.joined_on <= np.datetime64(day, "D"))
            )
            buyer = int(frontline[0]) if frontline.size else leader
            return str(members.member_id(buyer)[0])

        books = keep_demo_books(session, shape.first_day(), shape.months, leaders_frontline_buys)
    sign_ins = create_demo_sign_ins(session, company.members, today, leader)
    return DemoSeeded(counts, sign_ins, books)


def seed_demo_if_empty(
    session: Session, shape: DemoShape | None = None, progress: Progress | None = None
) -> DemoSeeded | None:
    """Seed only a database with no company in it; ``None`` when it already had one."""
    if not database_is_empty(session):
        return None
    return seed_demo(session, shape, progress)

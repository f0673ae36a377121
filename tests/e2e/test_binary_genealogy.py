"""The placement tree of a binary company in a real browser: each node shows its two
leg volumes beside the carry, as the close stored them, for a finalized month and for
the open month (the latest finalized run's legs, labelled with its month). Both widths,
axe-core, screenshots under artifacts/screenshots/ (not committed)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from fairtree.config import Settings
from fairtree.services.access import users
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.datasets import import_dataset
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.database import make_engine, session_scope
from fairtree.store.migrate import upgrade
from fairtree.store.models import Member
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.commissions import runs
from fairtree.web.formatting import points
from tests.e2e.browser_kit import check_both_widths, launch_chromium, serve

pytestmark = pytest.mark.browser
PLAN = Path(__file__).resolve().parents[2] / "plans" / "binary-hybrid" / "plan.yaml"
PASSWORD = "a long enough password"
STAFF = "support@company.test"
MONTHS = ("2026-01", "2026-02")
LEGS = [f"{runs.SHOWN}binary.left_volume", f"{runs.SHOWN}binary.right_volume"]


@dataclass
class Company:
    url: str
    root: str  # the member at the top of the placement tree (signs in)
    legs: tuple[int, int]  # the root's legs in February, as February's run stored them
    carry: tuple[int, int]  # and its carry out of February


Pair = tuple[int, int]


def _seed(url: str, folder: Path) -> tuple[str, Pair, Pair]:
    """A 150-member binary company, January and February closed and finalized."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        source = write_dataset(generate(150, 2, seed=5, placement="binary"), folder / "source")
        (source / "plan.yaml").write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
        import_dataset(session, source)
        for month in MONTHS:
            close_period(session, month)
            finalize_run(session, month, {"CAD": "1.35", "EUR": "0.92", "JPY": "150"})
        root = session.scalars(
            select(Member).where(Member.placement_parent_id.is_(None)).order_by(Member.id)
        ).first()
        assert root is not None
        users.create_member_user(session, root.member_id, PASSWORD)
        users.create_staff_user(session, STAFF, "support", PASSWORD)
        company = company_repo.the_company(session)
        run = runs.find_run(session, company.id, MONTHS[-1], "finalized")
        assert run is not None
        pks = np.array([root.id], dtype=np.int64)
        values = runs.carry_values(session, run.id, pks, [*LEGS, "binary.left", "binary.right"])
        zero = np.zeros(1, dtype=np.int64)
        left, right, carry_left, carry_right = (
            int(values.get(key, zero)[0]) for key in [*LEGS, "binary.left", "binary.right"]
        )
        member_id = root.member_id
    engine.dispose()
    return member_id, (left, right), (carry_left, carry_right)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Company]:
    folder: Path = tmp_path_factory.mktemp("binary")
    url = f"sqlite:///{folder / 'binary.sqlite3'}"
    upgrade(url)
    root, legs, carry = _seed(url, folder)
    settings = Settings(database_url=url, outbox_dir=folder / "outbox", cookie_secure=False)
    for served in serve(settings):
        yield Company(served, root, legs, carry)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


def _signed_in(browser, company: Company, login: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{company.url}/app/login")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button:has-text('Sign in')")
    return context, page


def _pair(name: str, figures: Pair) -> str:
    return f"{name} L {points(figures[0])} / R {points(figures[1])}"


def test_placement_nodes_show_leg_volumes_and_carry(browser, company: Company) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, company, company.root.lower())
    legs, carry = company.legs, company.carry
    assert legs[0] > 0 and legs[1] > 0, "the root has volume in both legs"
    page.goto(f"{company.url}/app/genealogy?tree=placement&period={MONTHS[-1]}")
    note = page.locator("main p.note").first.inner_text()
    assert "legs L / R are the volumes of the two placement legs the bonus compared" in note
    assert "Feb 2026 (finalized run)" in note
    own = page.locator(".node.self .facts").first.inner_text()
    assert f"{_pair('legs', legs)} · {_pair('carry', carry)}" in own, own
    children = page.locator("#tree .node .facts").all_inner_texts()
    assert children and all(" legs L " in text for text in children), children
    expander = page.locator("#tree a.expand").first
    target = expander.get_attribute("aria-controls")
    expander.click()
    page.locator(f"#{target} .node").first.wait_for()
    assert " legs L " in page.locator(f"#{target} .node .facts").first.inner_text()
    check_both_widths(page, "genealogy-binary-legs-closed")
    # The open month has no run: the legs are February's, labelled, and the carry is
    # what February carried into it.
    page.goto(f"{company.url}/app/genealogy?tree=placement")
    note = page.locator("main p.note").first.inner_text()
    assert "has no run yet, so legs are those the bonus compared in Feb 2026" in note
    own = page.locator(".node.self .facts").first.inner_text()
    assert f"Feb 2026 {_pair('legs', legs)} · {_pair('carry in', carry)}" in own, own
    check_both_widths(page, "genealogy-binary-legs-open")
    context.close()


def test_console_placement_tree_shows_the_same_legs(browser, company: Company) -> None:  # type: ignore[no-untyped-def]
    context, page = _signed_in(browser, company, STAFF)
    page.goto(f"{company.url}/console/genealogy?tree=placement&period={MONTHS[-1]}")
    assert "compared in Feb 2026 (finalized run)" in page.locator("main").inner_text()
    top = page.locator(".node.self .facts").first.inner_text()
    legs, carry = company.legs, company.carry
    assert f"{_pair('legs', legs)} · {_pair('carry', carry)}" in top, top
    check_both_widths(page, "console-genealogy-binary-legs")
    context.close()

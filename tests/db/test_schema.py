"""The migrations build exactly the schema the models describe, with named constraints."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.engine.order_rollup import TOTAL_COLUMNS
from fairtree.store.migrate import current_revision, downgrade, upgrade
from fairtree.store.models import Base, GenealogyRecord, Member
from fairtree.store.models.keys import schema_objects_for
from tests import factories


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                # PostgreSQL checks the bulk rows' keys per statement (test_statement_keys)
                "include_object": schema_objects_for(connection.dialect.name),
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_is_at_the_foundation_revision_or_later(db_url: str) -> None:
    assert current_revision(db_url) is not None
    revision = current_revision(db_url) or ""  # None is refused by the line above
    assert revision == "0001_foundation" or revision > "0001"


def test_every_constraint_has_a_conventional_name(engine: Engine) -> None:
    inspector = inspect(engine)
    members_fks = {fk["name"] for fk in inspector.get_foreign_keys("members")}
    assert members_fks == {
        "fk_members_sponsor_id_members",
        "fk_members_placement_parent_id_members",
    }
    order_uniques = {uq["name"] for uq in inspector.get_unique_constraints("orders")}
    assert order_uniques == {"uq_orders_order_id"}
    checks = {ck["name"] for ck in inspector.get_check_constraints("orders")}
    assert {"ck_orders_exactly_one_buyer", "ck_orders_return_points_at_order"} <= checks


def _member(member_id: str, **overrides: Any) -> Member:
    return factories.member(member_id, **({"joined_on": date(2026, 1, 5)} | overrides))


def _derived(member_pk: int, day: date) -> dict[str, Any]:
    """The derived order columns, filled so that only the constraint under test fails."""
    totals = dict.fromkeys(TOTAL_COLUMNS, 0)
    return {"credited_member_id": member_pk, "counts_on": day, **totals}


def test_an_order_needs_exactly_one_buyer(session: Session) -> None:
    member = _member("M1")
    session.add(member)
    session.flush()
    customer = factories.customer("C1", member.id, name="Ann", created_on=date(2026, 1, 6))
    session.add(customer)
    session.flush()
    day = date(2026, 2, 1)
    both = factories.order("O1", day, member.id, customer.id, **_derived(member.id, day))
    session.add(both)
    with pytest.raises(IntegrityError, match="exactly_one_buyer"):
        session.flush()


def test_a_return_must_point_at_an_order(session: Session) -> None:
    member = _member("M1")
    session.add(member)
    session.flush()
    day = date(2026, 2, 1)
    session.add(factories.order("R1", day, member.id, kind="return", **_derived(member.id, day)))
    with pytest.raises(IntegrityError, match="return_points_at_order"):
        session.flush()


def test_a_member_has_at_most_one_current_history_row(session: Session) -> None:
    member = _member("M1")
    session.add(member)
    session.flush()
    first = GenealogyRecord(
        member_id=member.id,
        valid_from=date(2026, 1, 5),
        status="active",
        reason="enroll",
        actor="system",
    )
    session.add(first)
    session.flush()
    # Closing the current row and opening a new one is allowed ...
    first.valid_to = date(2026, 3, 1)
    session.add(
        GenealogyRecord(
            member_id=member.id,
            valid_from=date(2026, 3, 1),
            status="active",
            reason="move",
            actor="admin",
        )
    )
    session.flush()
    rows = session.scalars(
        select(GenealogyRecord.valid_to).where(GenealogyRecord.member_id == member.id)
    ).all()
    assert sorted(rows, key=lambda d: d or date.max) == [date(2026, 3, 1), None]
    # ... a second open row is not.
    session.add(
        GenealogyRecord(
            member_id=member.id,
            valid_from=date(2026, 4, 1),
            status="active",
            reason="move",
            actor="admin",
        )
    )
    with pytest.raises(
        IntegrityError,
        match=r"uq_genealogy_history_current|UNIQUE constraint failed: genealogy_history",
    ):
        session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(_member("M1", sponsor_id=987654))
    with pytest.raises(IntegrityError):
        session.flush()


def test_lazy_loading_is_refused(session: Session) -> None:
    root = _member("ROOT")
    session.add(root)
    session.flush()
    child = _member("CHILD", sponsor_id=root.id)
    session.add(child)
    session.commit()
    session.expunge_all()
    loaded = session.scalars(select(Member).where(Member.member_id == "CHILD")).one()
    with pytest.raises(Exception, match="lazy='raise'"):
        _ = loaded.sponsor


def test_downgrade_to_empty_and_back(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
    upgrade(url)
    downgrade(url, "base")
    assert current_revision(url) is None
    upgrade(url)
    assert current_revision(url) is not None

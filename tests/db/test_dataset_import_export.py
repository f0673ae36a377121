"""Import then export gives the same bytes back, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, DatasetError
from fairtree.services.datasets import DatasetCounts, export_dataset, import_dataset
from fairtree.store.models import GenealogyRecord, Member, Order, PlanVersion
from tests import factories
from tests.factories import SAMPLE_DATASET


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_round_trip_is_byte_for_byte(session: Session, make_dataset, tmp_path: Path) -> None:
    source = make_dataset()
    counts = import_dataset(session, source)
    assert counts == DatasetCounts(
        members=5, customers=2, products=3, parties=1, orders=4, order_lines=5
    )
    exported = tmp_path / "exported"
    assert export_dataset(session, exported) == counts
    assert files_of(exported) == files_of(source)


MATRIX_COMPANY = (
    "company_id,name,currency,country,period_kind,placement,matrix_width,binary_rule\n"
    "kyoto,Kyoto Co,JPY,JP,week,matrix,3,\n"
)
MATRIX_MEMBERS = (
    "member_id,sponsor_id,placement_parent_id,placement_position,joined_on,status,"
    "status_since,country,currency,display_name,identity_verified\n"
    "A,,,,2025-12-31,active,2025-12-31,JP,JPY,A,false\n"
    'B,A,A,3,2026-01-01,closed,2026-04-01,JP,JPY,"multi\nline",true\n'
    "C,A,A,1,2026-01-01,active,2026-01-01,JP,JPY,C,false\n"
)


def test_round_trip_of_a_matrix_company_without_parties_or_plan(
    session: Session, make_dataset, tmp_path: Path
) -> None:
    source = make_dataset(
        company=MATRIX_COMPANY,
        members=MATRIX_MEMBERS,
        customers="customer_id,member_id,name,country,created_on\n",
        products=SAMPLE_DATASET["products.csv"],
        orders=SAMPLE_DATASET["orders.csv"].split("\n")[0] + "\n",
        order_lines=SAMPLE_DATASET["order_lines.csv"].split("\n")[0] + "\n",
        parties=None,
        plan=None,
    )
    import_dataset(session, source)
    exported = tmp_path / "exported"
    export_dataset(session, exported)
    assert files_of(exported) == files_of(source)
    assert "parties.csv" not in files_of(exported)


def test_import_opens_one_current_history_row_per_member(session: Session, make_dataset) -> None:
    import_dataset(session, make_dataset())
    rows = session.execute(
        select(
            Member.member_id,
            GenealogyRecord.valid_from,
            GenealogyRecord.valid_to,
            GenealogyRecord.status,
        )
        .join(GenealogyRecord, GenealogyRecord.member_id == Member.id)
        .order_by(Member.id, GenealogyRecord.valid_from)
    ).all()
    # M3 (inactive since February) and M4 (terminated since March) were active before.
    assert [tuple(row) for row in rows] == [
        ("M1", date(2026, 1, 1), None, "active"),
        ("M2", date(2026, 1, 5), None, "active"),
        ("M3", date(2026, 1, 6), date(2026, 2, 1), "active"),
        ("M3", date(2026, 2, 1), None, "inactive"),
        ("M4", date(2026, 1, 10), date(2026, 3, 1), "active"),
        ("M4", date(2026, 3, 1), None, "terminated"),
        ("M6", date(2026, 1, 8), None, "active"),
    ]
    m4 = session.scalars(select(Member).where(Member.member_id == "M4")).one()
    m6 = session.scalars(select(Member).where(Member.member_id == "M6")).one()
    assert m4.sponsor_id == m6.id  # a sponsor listed after the member is resolved


def test_import_keeps_the_plan_text_and_its_hash(session: Session, make_dataset) -> None:
    import_dataset(session, make_dataset())
    plan = session.scalars(select(PlanVersion)).one()
    assert plan.yaml_text == SAMPLE_DATASET["plan.yaml"]
    assert plan.sha256 == hashlib.sha256(SAMPLE_DATASET["plan.yaml"].encode()).hexdigest()
    assert plan.effective_from == date(2026, 1, 1)


def test_money_and_volumes_are_stored_as_integers(session: Session, make_dataset) -> None:
    import_dataset(session, make_dataset())
    from fairtree.store.models import Product

    shake = session.scalars(
        select(Product).where(Product.sku == "SHAKE", Product.country == "JP")
    ).one()
    assert (shake.retail_price, shake.member_price, shake.pv, shake.bv) == (5000, 4200, 2500, 2050)


def test_a_bad_dataset_writes_nothing(session: Session, make_dataset) -> None:
    folder = make_dataset(
        add={"members.csv": "X1,NOBODY,,,2026-01-01,active,2026-01-01,US,USD,x,false\n"}
    )
    with pytest.raises(DatasetError):
        import_dataset(session, folder)
    assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_import_needs_an_empty_database(session: Session, make_dataset) -> None:
    import_dataset(session, make_dataset())
    with pytest.raises(DatasetError, match="already holds a company"):
        import_dataset(session, make_dataset())
    assert session.scalar(select(func.count()).select_from(Order)) == 4


def test_new_rows_after_import_get_fresh_ids(session: Session, make_dataset) -> None:
    import_dataset(session, make_dataset())
    member = factories.member("NEW", joined_on=date(2026, 5, 1), display_name="New")
    session.add(member)
    session.flush()
    assert member.id == 6


def test_export_refuses_a_folder_with_files(session: Session, make_dataset) -> None:
    folder = make_dataset()
    import_dataset(session, folder)
    with pytest.raises(ConflictError):
        export_dataset(session, folder)


def test_indexes_on_self_references_stay_during_the_load() -> None:
    """Members listed before their sponsors made SQLite scan the whole table per row
    when the sponsor index was dropped for the load (quadratic); it must stay."""
    from fairtree.store.models import Base
    from fairtree.store.repositories.bulk.load import _serves_self_reference

    kept = {
        index.name
        for table in Base.metadata.sorted_tables
        for index in table.indexes
        if _serves_self_reference(index)
    }
    assert kept == {
        "ix_members_sponsor_id",
        "ix_orders_returns_order_id",
        "ix_payout_lines_corrects_line_id",  # an adjustment line points at the line it corrects
    }


def test_members_listed_before_their_sponsors(
    session: Session, make_dataset, tmp_path: Path
) -> None:
    header, *rows = SAMPLE_DATASET["members.csv"].splitlines(keepends=True)
    source = make_dataset(members=header + "".join(reversed(rows)))
    import_dataset(session, source)
    export_dataset(session, tmp_path / "out")
    assert files_of(tmp_path / "out") == files_of(source)

"""Round trips on larger, generated datasets and on the sample datasets of the repo."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairtree.services.datasets import export_dataset, import_dataset
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.models import GenealogyRecord, Member, Order, OrderLine

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DATASETS = sorted(path.parent for path in (REPO / "datasets").glob("*/company.csv"))


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def data_rows(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text().splitlines()[1:]]


def test_a_generated_company_round_trips(session: Session, tmp_path: Path) -> None:
    source = tmp_path / "source"
    write_dataset(generate(members=3_000, months=4, seed=7), source)
    counts = import_dataset(session, source)
    orders = data_rows(source / "orders.csv")
    assert counts.members == 3_000
    assert counts.orders == len(orders) > 3_000
    # One current history row per member; a member whose status (left, closed) began
    # after joining also has the earlier, active row.
    current = select(func.count()).where(GenealogyRecord.valid_to.is_(None))
    assert session.scalar(current) == 3_000
    changed = session.scalar(
        select(func.count()).where(
            Member.status != "active", Member.status_since > Member.joined_on
        )
    )
    assert changed is not None and changed > 0
    assert session.scalar(select(func.count()).select_from(GenealogyRecord)) == 3_000 + changed
    returns = session.scalar(select(func.count()).select_from(Order).where(Order.kind == "return"))
    assert returns == sum(row[1] == "return" for row in orders) > 0
    total_units = session.scalar(select(func.sum(OrderLine.quantity)))
    assert total_units == sum(int(row[3]) for row in data_rows(source / "order_lines.csv"))
    exported = tmp_path / "exported"
    export_dataset(session, exported)
    assert files_of(exported) == files_of(source)


@pytest.mark.skipif(not SAMPLE_DATASETS, reason="no sample datasets under datasets/ yet")
@pytest.mark.parametrize("folder", SAMPLE_DATASETS, ids=lambda p: p.name)
def test_sample_datasets_round_trip(session: Session, folder: Path, tmp_path: Path) -> None:
    import_dataset(session, folder)
    exported = tmp_path / "exported"
    export_dataset(session, exported)
    assert files_of(exported) == files_of(folder)


@pytest.mark.postgres
def test_copy_keeps_text_that_looks_like_a_null_marker(
    session: Session, make_dataset, tmp_path: Path
) -> None:
    """COPY's null marker is \\N: a member may still call themselves that."""
    from tests.factories import SAMPLE_DATASET

    members = SAMPLE_DATASET["members.csv"].replace(",Eve,", ",\\N,")
    source = make_dataset(members=members)
    import_dataset(session, source)
    name = session.scalar(select(Member.display_name).where(Member.member_id == "M6"))
    assert name == "\\N"
    export_dataset(session, tmp_path / "out")
    assert files_of(tmp_path / "out") == files_of(source)

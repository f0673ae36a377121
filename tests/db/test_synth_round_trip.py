"""Synthetic companies are valid datasets: import accepts them, export gives the bytes back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from fairtree.services.datasets import export_dataset, import_dataset
from fairtree.simulation.synth import generate, write_dataset

DATASETS = Path(__file__).resolve().parents[2] / "datasets"


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("sample", ["small", "matrix"])
def test_committed_samples_round_trip(session: Session, sample: str, tmp_path: Path) -> None:
    counts = import_dataset(session, DATASETS / sample)
    assert counts.members == {"small": 60, "matrix": 40}[sample]
    export_dataset(session, tmp_path / "out")
    assert files_of(tmp_path / "out") == files_of(DATASETS / sample)


def test_generated_company_round_trips(session: Session, tmp_path: Path) -> None:
    company = generate(1500, 4, seed=17, placement="binary", binary_rule="alternate")
    source = write_dataset(company, tmp_path / "source")
    counts = import_dataset(session, source)
    assert counts.orders == len(company.orders)
    assert counts.order_lines == len(company.order_lines)
    export_dataset(session, tmp_path / "out")
    assert files_of(tmp_path / "out") == files_of(source)

"""The committed sample datasets are exactly what their documented commands write."""

from pathlib import Path

import pytest

from fairtree.simulation.synth import generate, write_dataset

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
CSV_FILES = [
    "company.csv", "members.csv", "customers.csv", "products.csv", "orders.csv",
    "order_lines.csv", "parties.csv",
]  # fmt: skip
SAMPLES = {
    "small": {"members": 60, "months": 2, "seed": 5},
    "matrix": {"members": 40, "months": 2, "seed": 10, "placement": "matrix", "matrix_width": 3},
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_matches_its_command(name, tmp_path):
    fresh = write_dataset(generate(**SAMPLES[name]), tmp_path / name)
    for file in CSV_FILES:
        assert (DATASETS / name / file).read_bytes() == (fresh / file).read_bytes(), file
    plan = (DATASETS / name / "plan.yaml").read_text()
    assert plan.strip()


def test_readme_documents_each_sample_command():
    readme = (DATASETS / "README.md").read_text()
    assert "fairtree synth --members 60 --months 2 --seed 5 datasets/small" in readme
    assert (
        "fairtree synth --members 40 --months 2 --seed 10 --placement matrix "
        "--matrix-width 3 datasets/matrix" in readme
    )


def test_samples_have_a_return_and_a_party():
    for name in SAMPLES:
        orders = (DATASETS / name / "orders.csv").read_text()
        assert ",return," in orders, name
        assert len((DATASETS / name / "parties.csv").read_text().splitlines()) > 1, name

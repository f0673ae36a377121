"""The written dataset follows docs/dataset.md exactly, in canonical form, byte for byte."""

import csv
import io
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from fairtree.cli.main import app
from fairtree.money import parse_amount, parse_points
from fairtree.simulation import dataset_writer
from fairtree.simulation.synth import generate, write_dataset

DOC = Path(__file__).resolve().parents[2] / "docs" / "dataset.md"
CSV_FILES = [
    "company.csv", "members.csv", "customers.csv", "products.csv", "orders.csv",
    "order_lines.csv", "parties.csv",
]  # fmt: skip


def documented_columns() -> dict[str, list[str]]:
    """Column names of each file, read from the tables of docs/dataset.md."""
    columns: dict[str, list[str]] = {}
    current = None
    for line in DOC.read_text().splitlines():
        heading = re.match(r"^## (\w+\.csv)", line)
        if heading:
            current = heading.group(1)
            columns[current] = []
        elif current and line.startswith("| ") and not line.startswith("| column"):
            columns[current].append(line.split("|")[1].strip())
    return columns


@pytest.fixture(scope="module")
def company():
    return generate(3000, 3, seed=21)


@pytest.fixture(scope="module")
def folder(company, tmp_path_factory):
    return write_dataset(company, tmp_path_factory.mktemp("ds") / "acme")


def read_rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_headers_are_exactly_the_documented_columns_in_order(folder):
    documented = documented_columns()
    assert set(documented) == set(CSV_FILES)
    for name in CSV_FILES:
        header = (folder / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == documented[name], name
    assert sorted(p.name for p in folder.iterdir()) == sorted([*CSV_FILES, "plan.yaml"])


def test_lines_end_with_newline_and_quoting_is_minimal(folder):
    for name in CSV_FILES:
        data = (folder / name).read_bytes()
        assert b"\r" not in data and data.endswith(b"\n"), name
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        rewritten = io.StringIO(newline="")
        csv.writer(rewritten, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
        assert rewritten.getvalue().encode("utf-8") == data, name
    members = (folder / "members.csv").read_text(encoding="utf-8")
    assert '"' in members and "Smith, Jr." in members  # quoting happens where needed


def test_row_counts_and_creation_order(company, folder):
    assert len(read_rows(folder, "members.csv")) == len(company.members)
    assert len(read_rows(folder, "orders.csv")) == len(company.orders)
    assert len(read_rows(folder, "order_lines.csv")) == len(company.order_lines)
    assert len(read_rows(folder, "customers.csv")) == len(company.customers)
    assert len(read_rows(folder, "parties.csv")) == len(company.parties)
    members = read_rows(folder, "members.csv")
    assert [m["member_id"] for m in members[:3]] == ["M0000001", "M0000002", "M0000003"]
    orders = read_rows(folder, "orders.csv")
    assert [o["placed_on"] for o in orders] == sorted(o["placed_on"] for o in orders)


def test_money_and_volumes_are_canonical_and_exact(company, folder):
    lines = read_rows(folder, "order_lines.csv")
    orders = {o["order_id"]: o for o in read_rows(folder, "orders.csv")}
    seen = set()
    for i, line in enumerate(lines):
        currency = orders[line["order_id"]]["currency"]
        pattern = r"\d+" if currency == "JPY" else r"\d+\.\d\d"
        assert re.fullmatch(pattern, line["unit_price"]), line
        assert re.fullmatch(r"\d+\.\d\d", line["pv"]) and re.fullmatch(r"\d+\.\d\d", line["bv"])
        assert parse_amount(line["unit_price"], currency) == company.order_lines.unit_price[i]
        assert parse_points(line["bv"]) == company.order_lines.bv[i]
        assert re.fullmatch(r"[1-9]\d*", line["quantity"]) and re.fullmatch(r"\d+", line["line_no"])
        seen.add(currency)
    assert seen == {"USD", "CAD", "JPY"}
    products = read_rows(folder, "products.csv")
    jpy = [p for p in products if p["currency"] == "JPY"]
    assert jpy and all(re.fullmatch(r"\d+", p["retail_price"]) for p in jpy)
    assert any(p["bv"].endswith(".50") or p["bv"].endswith(".25") for p in products)
    assert {p["commissionable"] for p in products} == {"true", "false"}


def test_references_and_empty_fields(company, folder):
    members = read_rows(folder, "members.csv")
    ids = {m["member_id"] for m in members}
    assert members[0]["sponsor_id"] == "" and members[0]["placement_position"] == ""
    assert all(m["sponsor_id"] in ids for m in members[1:])
    assert {m["placement_position"] for m in members[1:]} == {"L", "R"}
    assert {m["identity_verified"] for m in members} == {"true", "false"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", m["joined_on"]) for m in members)
    orders = read_rows(folder, "orders.csv")
    for order in orders:
        assert (order["buyer_member_id"] == "") != (order["buyer_customer_id"] == "")
        assert (order["kind"] == "return") == (order["returns_order_id"] != "")
    company_row = read_rows(folder, "company.csv")
    assert company_row == [
        {
            "company_id": "synth-21",
            "name": "Synthetic Company 21",
            "currency": "USD",
            "country": "US",
            "period_kind": "month",
            "placement": "binary",
            "matrix_width": "",
            "binary_rule": "weaker_leg",
        }
    ]


def test_matrix_company_writes_numbered_positions(tmp_path):
    folder = write_dataset(generate(200, 2, seed=2, placement="matrix"), tmp_path / "m")
    members = read_rows(folder, "members.csv")
    assert {m["placement_position"] for m in members[1:]} == {"1", "2", "3"}
    assert read_rows(folder, "company.csv")[0]["matrix_width"] == "3"
    assert read_rows(folder, "company.csv")[0]["binary_rule"] == ""


def test_same_seed_writes_identical_bytes(tmp_path):
    first = write_dataset(generate(800, 2, seed=8), tmp_path / "a")
    second = write_dataset(generate(800, 2, seed=8), tmp_path / "b")
    for name in [*CSV_FILES, "plan.yaml"]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_large_tables_are_written_in_chunks_identically(company, folder, tmp_path, monkeypatch):
    monkeypatch.setattr(dataset_writer.col, "CHUNK_ROWS", 7)
    original = dataset_writer.col.write_csv

    def small_chunks(path, header, row_count, formatters, chunk_rows=7):
        return original(path, header, row_count, formatters, chunk_rows=7)

    monkeypatch.setattr(dataset_writer.col, "write_csv", small_chunks)
    chunked = write_dataset(company, tmp_path / "chunked")
    for name in CSV_FILES:
        assert (chunked / name).read_bytes() == (folder / name).read_bytes(), name


def test_refuses_a_non_empty_folder_and_leaves_nothing_half_written(company, tmp_path, monkeypatch):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not empty"):
        write_dataset(company, busy)

    def broken(company, folder):
        raise RuntimeError("disk full")

    monkeypatch.setattr(dataset_writer, "WRITERS", (*dataset_writer.WRITERS[:3], broken))
    with pytest.raises(RuntimeError, match="disk full"):
        write_dataset(company, tmp_path / "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]


def test_placeholder_plan_is_labelled(folder):
    text = (folder / "plan.yaml").read_text()
    if "PLACEHOLDER" in text:
        assert text.startswith("# PLACEHOLDER PLAN - not a real compensation plan.")
        assert "company_id: synth-21" in text
    else:  # an example plan of the source tree was copied
        assert text.strip()


def test_cli_writes_the_same_bytes_as_the_library(tmp_path):
    result = CliRunner().invoke(
        app, ["synth", "--members", "300", "--months", "2", "--seed", "4", str(tmp_path / "cli")]
    )
    assert result.exit_code == 0, result.output
    assert "300 members" in " ".join(result.output.split())
    library = write_dataset(generate(300, 2, seed=4), tmp_path / "lib")
    for name in [*CSV_FILES, "plan.yaml"]:
        assert (tmp_path / "cli" / name).read_bytes() == (library / name).read_bytes(), name
    again = CliRunner().invoke(app, ["synth", "--members", "3", str(tmp_path / "cli")])
    assert again.exit_code == 2


def test_volume_arrays_are_integer_hundredths(company):
    assert company.products.pv.dtype == np.int64
    assert (company.products.pv % 100 == 0).all()  # PV whole points, BV may have decimals

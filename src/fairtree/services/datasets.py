"""Import and export of the company dataset folder (docs/dataset.md).

Import checks the whole folder first and writes nothing when anything is wrong; then it
loads every table set-based inside the caller's transaction. Neither function commits:
the command or request boundary does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sized
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from fairtree.dataset import schema
from fairtree.dataset.reader import ParsedDataset, read_dataset
from fairtree.dataset.writer import write_encoded_file, write_file, write_plan
from fairtree.errors import ConflictError, DatasetError, NotFoundError, Problem
from fairtree.services.progress import NoProgress, Progress
from fairtree.store.models import Company, PlanVersion
from fairtree.store.repositories.bulk import dump as bulk_dump
from fairtree.store.repositories.bulk import load as bulk_load
from fairtree.store.repositories.bulk import sqlite_csv

T = TypeVar("T", bound=Sized)
IMPORT_ACTOR = "dataset-import"
IMPORTED_PLAN_VERSION = "imported"
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class DatasetCounts:
    """Rows per table that were imported or exported."""

    members: int
    customers: int
    products: int
    parties: int
    orders: int
    order_lines: int


def import_dataset(
    session: Session, folder: Path, progress: Progress | None = None
) -> DatasetCounts:
    """Check ``folder`` completely, then load it into an empty database (no commit)."""
    progress = progress or NoProgress()
    progress.stage("checking", None)
    parsed = read_dataset(folder)
    if not bulk_load.database_is_empty(session):
        raise DatasetError(
            [Problem("database", "", "", "already holds a company; import needs an empty one")]
        )
    total = sum(parsed.counts.values())
    progress.stage("loading", total)
    company = _add_company(session, parsed)
    tables = [rows.table for rows in parsed.tables] + ["genealogy_history"]
    with ExitStack() as stack:
        stack.enter_context(bulk_load.secondary_indexes_built_after(session, tables))
        if session.get_bind().dialect.name == "sqlite":
            bulk_load.defer_sqlite_foreign_keys(session)
            stack.enter_context(bulk_load.sqlite_large_cache(session))
        _load_tables(session, parsed, progress)
        bulk_load.open_history_for_all_members(session, reason="import", actor=IMPORT_ACTOR)
        progress.stage("indexing", None)
    bulk_load.advance_id_sequences(session, [rows.table for rows in parsed.tables])
    if parsed.plan is not None:
        session.add(
            PlanVersion(
                company_id=company.id,
                version=IMPORTED_PLAN_VERSION,
                effective_from=_EPOCH + timedelta(days=parsed.first_day),
                yaml_text=parsed.plan.text,
                sha256=parsed.plan.sha256,
            )
        )
    session.flush()
    return DatasetCounts(**{table: parsed.counts[table] for table in _COUNTED})


_COUNTED = ("members", "customers", "products", "parties", "orders", "order_lines")


def _add_company(session: Session, parsed: ParsedDataset) -> Company:
    settings = parsed.company
    company = Company(
        company_id=settings.company_id,
        name=settings.name,
        currency=settings.currency,
        country=settings.country,
        period_kind=settings.period_kind,
        placement=settings.placement,
        matrix_width=settings.matrix_width,
        binary_rule=settings.binary_rule,
    )
    session.add(company)
    session.flush()
    return company


def _load_tables(session: Session, parsed: ParsedDataset, progress: Progress) -> None:
    for rows in parsed.tables:
        bulk_load.insert_rows(session, rows, lambda _table, done: progress.advance(done))


_EXPORTED = (
    schema.MEMBERS,
    schema.CUSTOMERS,
    schema.PRODUCTS,
    schema.ORDERS,
    schema.ORDER_LINES,
    schema.PARTIES,
)


def export_dataset(
    session: Session, folder: Path, progress: Progress | None = None
) -> DatasetCounts:
    """Write the company's dataset into ``folder`` (new or empty) in canonical form."""
    progress = progress or NoProgress()
    company = bulk_dump.company_row(session)
    if company is None:
        raise NotFoundError("the database holds no company to export")
    if folder.exists() and any(folder.iterdir()):
        raise ConflictError(f"{folder} is not empty; export writes into a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {spec.name: bulk_dump.count_rows(session, spec.name) for spec in _EXPORTED}
    progress.stage("exporting", sum(sizes.values()))
    write_file(folder, schema.COMPANY, [[company]])
    written: dict[str, int] = {}
    for spec in _EXPORTED:
        if spec is schema.PARTIES and sizes[spec.name] == 0:
            written[spec.name] = 0
            continue  # parties.csv is optional: written only when there are parties
        if session.get_bind().dialect.name == "sqlite":
            chunks = sqlite_csv.csv_chunks(session, spec.name)
            written[spec.name] = write_encoded_file(folder, spec, _advancing(chunks, progress))
        else:
            rows = _advancing(bulk_dump.chunks(session, spec.name), progress)
            written[spec.name] = write_file(folder, spec, rows)
    plan_text = bulk_dump.latest_plan_text(session)
    if plan_text is not None:
        write_plan(folder, plan_text)
    return DatasetCounts(**{name: written[f"{name}.csv"] for name in _COUNTED})


def _advancing(chunks: Iterator[T], progress: Progress) -> Iterator[T]:
    """Pass chunks through, advancing progress by their rows (a list, or (bytes, rows))."""
    for chunk in chunks:
        yield chunk
        progress.advance(chunk[1] if isinstance(chunk, tuple) else len(chunk))


__all__ = ["DatasetCounts", "export_dataset", "import_dataset"]

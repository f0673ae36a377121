"""Shared test helpers: a small dataset folder written in canonical form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.factories import SAMPLE_DATASET

DatasetFactory = Callable[..., Path]


@pytest.fixture
def make_dataset(tmp_path: Path) -> DatasetFactory:
    """Write the sample dataset, with files replaced or lines appended, and return its folder.

    ``make_dataset(members=...)`` replaces a file's whole text (None drops the file);
    ``make_dataset(add={"members.csv": "line\\n"})`` appends lines.
    """
    counter = iter(range(1_000_000))

    def make(add: dict[str, str] | None = None, **replace: str | None) -> Path:
        folder = tmp_path / f"dataset{next(counter)}"
        folder.mkdir()
        files = dict(SAMPLE_DATASET)
        for stem, text in replace.items():
            name = stem if stem.endswith(".yaml") else f"{stem}.csv"
            if stem == "plan":
                name = "plan.yaml"
            files[name] = text  # type: ignore[assignment]
        for name, lines in (add or {}).items():
            files[name] = files[name] + lines
        for name, text in files.items():
            if text is not None:
                (folder / name).write_bytes(text.encode("utf-8"))
        return folder

    return make

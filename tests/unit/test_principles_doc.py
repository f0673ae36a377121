"""docs/principles.md names, for each independence rule, the test that proves it; every
named test file and test function must exist, so the document cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINCIPLES = ROOT / "docs" / "principles.md"


def test_every_test_named_in_the_principles_exists() -> None:
    text = PRINCIPLES.read_text()
    references = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text)
    assert len(references) >= 20
    missing = []
    for path, name in references:
        file = ROOT / path
        if not file.exists():
            missing.append(path)
        elif name and f"def {name}(" not in file.read_text():
            missing.append(f"{path}::{name}")
    # "`::name`": a test of the file named just before it in the same table cell.
    for name in re.findall(r"`::(\w+)`", text):
        if not any(f"def {name}(" in p.read_text() for p in (ROOT / "tests").rglob("test_*.py")):
            missing.append(f"::{name}")
    assert missing == []


def test_the_principles_say_there_is_no_feature_to_assign_work() -> None:
    text = PRINCIPLES.read_text()
    assert "no feature to assign tasks, quotas or scripts" in text.lower()

"""A stored plan version tried on hand-computed plan-test cases (docs/plan-tests.md): each
case's network, orders and expectations evaluated under the version's text, by the engine
and by the reference evaluator, with every difference as a readable line.

The cases come from a case library on the server (``plans/<name>/cases/*.yaml`` beside an
example plan; ``FAIRTREE_PLAN_CASES_DIR``) or are pasted, several separated by ``---``
lines. The run is read-only: a worker runs it as a job (kind ``plan_cases``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fairtree.errors import PlanError, Problem, ValidationError
from fairtree.plan_cases.runner import run_case_under
from fairtree.services.commissions import plan_versions
from fairtree.services.commissions.whatif import parse_draft
from fairtree.services.progress import NoProgress, Progress

MAX_CASES = 500
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_SEPARATOR = re.compile(r"(?m)^---[ \t]*$")


@dataclass(frozen=True)
class CaseText:
    name: str  # the file name, or "pasted case N"
    text: str


def case_folders(library: Path) -> dict[str, int]:
    """Folder name -> number of case files, for every ``<name>/cases/*.yaml`` in the library."""
    if not library.is_dir():
        return {}
    found = {}
    for folder in sorted(library.iterdir()):
        count = len(list((folder / "cases").glob("*.yaml"))) if folder.is_dir() else 0
        if count and _NAME.match(folder.name):
            found[folder.name] = count
    return found


def folder_cases(library: Path, name: str) -> list[CaseText]:
    """The case files of one library folder, by name (only names the library lists)."""
    if name not in case_folders(library):
        raise ValidationError([Problem("plan cases", name, "folder", "no such case folder")])
    files = sorted((library / name / "cases").glob("*.yaml"))[:MAX_CASES]
    return [CaseText(f"{name}/{f.name}", f.read_text(encoding="utf-8")) for f in files]


def pasted_cases(text: str) -> list[CaseText]:
    """Cases pasted as YAML, several separated by lines of ``---`` (a browser sends a
    textarea's lines ended by CR LF)."""
    parts = [p for p in _SEPARATOR.split(text.replace("\r\n", "\n")) if p.strip()]
    if len(parts) > MAX_CASES:
        raise ValidationError(
            [Problem("plan cases", "", "cases_text", f"at most {MAX_CASES} cases at once")]
        )
    return [CaseText(f"pasted case {i}", part) for i, part in enumerate(parts, start=1)]


def run_version_cases(
    session: Session,
    version: str,
    cases: list[CaseText],
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Every case under the stored ``version``: pass or fail, and the differences."""
    progress = progress or NoProgress()
    row = plan_versions.version_named(session, version)
    try:
        document = parse_draft(row.yaml_text, f"version {row.version}")
    except PlanError as exc:
        raise ValidationError(exc.problems) from None
    progress.stage("running plan cases", len(cases))
    outcomes = []
    for case in cases:
        outcome = run_case_under(case.name, case.text, document)
        outcomes.append(
            {"name": case.name, "passed": outcome.passed, "differences": outcome.mismatches}
        )
        progress.advance(1)
    failed = sum(1 for o in outcomes if not o["passed"])
    return {
        "version": row.version,
        "sha256": row.sha256,
        "cases": outcomes,
        "passed": len(outcomes) - failed,
        "failed": failed,
    }

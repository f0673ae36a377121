"""pytest collection of plan-test case files; conftests import ``pytest_collect_file``.

``plans/**/cases/*.yaml`` and ``tests/plans/*.yaml`` become one test item each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fairtree.plan_cases.runner import run_case


class PlanCaseFailed(Exception):
    pass


class PlanCaseItem(pytest.Item):
    def runtest(self) -> None:
        outcome = run_case(self.path)
        if not outcome.passed:
            raise PlanCaseFailed("\n".join(outcome.mismatches))

    def repr_failure(self, excinfo, style=None):  # type: ignore[no-untyped-def]
        if isinstance(excinfo.value, PlanCaseFailed):
            return f"{self.path}:\n{excinfo.value}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):  # type: ignore[no-untyped-def]
        return self.path, 0, f"plan case {self.path.name}"


class PlanCaseFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        yield PlanCaseItem.from_parent(self, name=self.path.stem)


def is_case_file(path: Path) -> bool:
    if path.suffix not in (".yaml", ".yml"):
        return False
    if path.parent.name == "cases":
        return True
    return path.parent.name == "plans" and path.parent.parent.name == "tests"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_case_file(file_path):
        return PlanCaseFile.from_parent(parent, path=file_path)
    return None

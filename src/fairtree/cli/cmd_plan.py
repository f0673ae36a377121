"""`fairtree plan check|test`: validate plan files and run their hand-computed cases."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from fairtree.cli.main import plan_app
from fairtree.engine.evaluate import check_kinds
from fairtree.errors import FairtreeError
from fairtree.plan_cases.runner import run_case
from fairtree.plans.load import load_plan

console = Console(soft_wrap=True)


@plan_app.command("check")
def check(files: list[Path]) -> None:
    """Validate plan files; every problem names file, path and reason."""
    failed = False
    for path in files:
        try:
            document = load_plan(path)
            for _, version in document.versions:
                check_kinds(version, str(path))
        except FairtreeError as exc:
            failed = True
            console.print(f"[red]refused[/red] {path}", highlight=False)
            console.print(str(exc), highlight=False, markup=False)
            continue
        console.print(f"[green]ok[/green] {path} ({len(document.versions)} version(s))")
    raise typer.Exit(1 if failed else 0)


def _case_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.yaml") if p.parent.name == "cases")
        else:
            files.append(path)
    return files


@plan_app.command("test")
def test(paths: list[Path]) -> None:
    """Run plan-test case files (or every cases/*.yaml under a folder); exit 1 on a mismatch."""
    files = _case_files(paths)
    failures = 0
    for path in files:
        try:
            outcome = run_case(path)
            mismatches = outcome.mismatches
        except FairtreeError as exc:
            mismatches = [str(exc)]
        if mismatches:
            failures += 1
            console.print(f"[red]FAIL[/red] {path}", highlight=False)
            for line in mismatches:
                console.print(f"    {line}", highlight=False, markup=False)
        else:
            console.print(f"[green]ok[/green]   {path}", highlight=False)
    console.print(f"{len(files) - failures} passed, {failures} failed")
    raise typer.Exit(1 if failures or not files else 0)
